build-nofp/kernel-obj/kernel/arch/x86_64/context.c.o: \
 kernel/arch/x86_64/context.c kernel/include/arch/context.h \
 kernel/include/arch/regs.h kernel/include/arch/vm.h \
 lib/freestanding/string.h kernel/include/arch/fpu.h \
 kernel/include/arch/trap.h kernel/arch/x86_64/layout.h \
 kernel/include/percpu.h kernel/include/arch/percpu.h \
 kernel/arch/x86_64/x86.h
kernel/include/arch/context.h:
kernel/include/arch/regs.h:
kernel/include/arch/vm.h:
lib/freestanding/string.h:
kernel/include/arch/fpu.h:
kernel/include/arch/trap.h:
kernel/arch/x86_64/layout.h:
kernel/include/percpu.h:
kernel/include/arch/percpu.h:
kernel/arch/x86_64/x86.h:
