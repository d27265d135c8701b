build-nofp/kernel-obj/kernel/arch/x86_64/backtrace.c.o: \
 kernel/arch/x86_64/backtrace.c kernel/include/arch/cpu.h \
 kernel/include/ksym.h kernel/include/kprintf.h \
 kernel/arch/x86_64/layout.h
kernel/include/arch/cpu.h:
kernel/include/ksym.h:
kernel/include/kprintf.h:
kernel/arch/x86_64/layout.h:
