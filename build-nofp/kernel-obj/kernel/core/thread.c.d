build-nofp/kernel-obj/kernel/core/thread.c.o: kernel/core/thread.c \
 kernel/include/thread.h include/mica/msgtag.h include/mica/types.h \
 include/mica/thread.h include/mica/utcb.h kernel/include/arch/context.h \
 kernel/include/arch/regs.h kernel/include/arch/vm.h \
 kernel/include/kobj.h include/mica/caps.h kernel/include/arch/fpu.h \
 kernel/include/gate.h kernel/include/ipc.h include/mica/error.h \
 kernel/include/sched.h kernel/include/task.h kernel/include/capspace.h
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
kernel/include/arch/fpu.h:
kernel/include/gate.h:
kernel/include/ipc.h:
include/mica/error.h:
kernel/include/sched.h:
kernel/include/task.h:
kernel/include/capspace.h:
