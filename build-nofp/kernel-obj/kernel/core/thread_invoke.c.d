build-nofp/kernel-obj/kernel/core/thread_invoke.c.o: \
 kernel/core/thread_invoke.c include/mica/layout.h include/mica/thread.h \
 kernel/include/arch/context.h kernel/include/arch/regs.h \
 kernel/include/arch/vm.h kernel/include/cap.h include/mica/error.h \
 kernel/include/capspace.h include/mica/caps.h include/mica/types.h \
 kernel/include/invoke.h include/mica/msgtag.h kernel/include/ipc.h \
 kernel/include/sched.h kernel/include/thread.h include/mica/utcb.h \
 kernel/include/kobj.h kernel/include/task.h
include/mica/layout.h:
include/mica/thread.h:
kernel/include/arch/context.h:
kernel/include/arch/regs.h:
kernel/include/arch/vm.h:
kernel/include/cap.h:
include/mica/error.h:
kernel/include/capspace.h:
include/mica/caps.h:
include/mica/types.h:
kernel/include/invoke.h:
include/mica/msgtag.h:
kernel/include/ipc.h:
kernel/include/sched.h:
kernel/include/thread.h:
include/mica/utcb.h:
kernel/include/kobj.h:
kernel/include/task.h:
