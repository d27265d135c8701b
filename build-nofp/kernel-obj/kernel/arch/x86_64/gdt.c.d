build-nofp/kernel-obj/kernel/arch/x86_64/gdt.c.o: \
 kernel/arch/x86_64/gdt.c lib/freestanding/string.h \
 kernel/arch/x86_64/layout.h kernel/include/percpu.h \
 kernel/include/arch/percpu.h kernel/arch/x86_64/x86.h
lib/freestanding/string.h:
kernel/arch/x86_64/layout.h:
kernel/include/percpu.h:
kernel/include/arch/percpu.h:
kernel/arch/x86_64/x86.h:
