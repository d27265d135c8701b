build-nofp/kernel-obj/kernel/arch/x86_64/trap.c.o: \
 kernel/arch/x86_64/trap.c kernel/include/arch/trap.h \
 kernel/include/arch/regs.h lib/include/format.h \
 kernel/arch/x86_64/apic.h kernel/include/arch/cpu.h \
 kernel/include/ksym.h kernel/include/kprintf.h \
 kernel/arch/x86_64/layout.h kernel/include/panic.h \
 kernel/include/percpu.h kernel/include/arch/percpu.h \
 kernel/arch/x86_64/x86.h
kernel/include/arch/trap.h:
kernel/include/arch/regs.h:
lib/include/format.h:
kernel/arch/x86_64/apic.h:
kernel/include/arch/cpu.h:
kernel/include/ksym.h:
kernel/include/kprintf.h:
kernel/arch/x86_64/layout.h:
kernel/include/panic.h:
kernel/include/percpu.h:
kernel/include/arch/percpu.h:
kernel/arch/x86_64/x86.h:
