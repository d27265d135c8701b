build-nofp/kernel-obj/kernel/core/sched.c.o: kernel/core/sched.c \
 kernel/include/sched.h kernel/include/thread.h include/mica/msgtag.h \
 include/mica/types.h include/mica/thread.h include/mica/utcb.h \
 kernel/include/arch/context.h kernel/include/arch/regs.h \
 kernel/include/arch/vm.h kernel/include/kobj.h include/mica/caps.h \
 kernel/include/arch/cpu.h kernel/include/arch/platform.h \
 kernel/include/arch/trap.h kernel/include/config.h \
 kernel/include/kprintf.h kernel/include/percpu.h \
 kernel/include/arch/percpu.h kernel/include/task.h \
 kernel/include/capspace.h
kernel/include/sched.h:
kernel/include/thread.h:
include/mica/msgtag.h:
include/mica/types.h:
include/mica/thread.h:
include/mica/utcb.h:
kernel/include/arch/context.h:
kernel/include/arch/regs.h:
kernel/include/arch/vm.h:
kernel/include/kobj.h:
include/mica/caps.h:
kernel/include/arch/cpu.h:
kernel/include/arch/platform.h:
kernel/include/arch/trap.h:
kernel/include/config.h:
kernel/include/kprintf.h:
kernel/include/percpu.h:
kernel/include/arch/percpu.h:
kernel/include/task.h:
kernel/include/capspace.h:
