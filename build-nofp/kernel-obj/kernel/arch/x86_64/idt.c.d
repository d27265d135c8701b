build-nofp/kernel-obj/kernel/arch/x86_64/idt.c.o: \
 kernel/arch/x86_64/idt.c kernel/arch/x86_64/layout.h \
 kernel/include/percpu.h kernel/include/arch/percpu.h
kernel/arch/x86_64/layout.h:
kernel/include/percpu.h:
kernel/include/arch/percpu.h:
