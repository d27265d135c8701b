build-nofp/kernel-obj/kernel/core/task_invoke.c.o: \
 kernel/core/task_invoke.c include/mica/layout.h include/mica/task.h \
 kernel/include/cap.h include/mica/error.h kernel/include/capspace.h \
 include/mica/caps.h include/mica/types.h kernel/include/invoke.h \
 include/mica/msgtag.h kernel/include/task.h kernel/include/arch/vm.h \
 kernel/include/kobj.h kernel/include/thread.h include/mica/thread.h \
 include/mica/utcb.h kernel/include/arch/context.h \
 kernel/include/arch/regs.h
include/mica/layout.h:
include/mica/task.h:
kernel/include/cap.h:
include/mica/error.h:
kernel/include/capspace.h:
include/mica/caps.h:
include/mica/types.h:
kernel/include/invoke.h:
include/mica/msgtag.h:
kernel/include/task.h:
kernel/include/arch/vm.h:
kernel/include/kobj.h:
kernel/include/thread.h:
include/mica/thread.h:
include/mica/utcb.h:
kernel/include/arch/context.h:
kernel/include/arch/regs.h:
