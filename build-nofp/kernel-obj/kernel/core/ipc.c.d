build-nofp/kernel-obj/kernel/core/ipc.c.o: kernel/core/ipc.c \
 kernel/include/ipc.h include/mica/error.h include/mica/msgtag.h \
 include/mica/types.h include/mica/syscall.h lib/freestanding/string.h \
 kernel/include/cap.h kernel/include/capspace.h include/mica/caps.h \
 kernel/include/gate.h kernel/include/kobj.h kernel/include/invoke.h \
 kernel/include/sched.h kernel/include/thread.h include/mica/thread.h \
 include/mica/utcb.h kernel/include/arch/context.h \
 kernel/include/arch/regs.h kernel/include/arch/vm.h \
 kernel/include/task.h
kernel/include/ipc.h:
include/mica/error.h:
include/mica/msgtag.h:
include/mica/types.h:
include/mica/syscall.h:
lib/freestanding/string.h:
kernel/include/cap.h:
kernel/include/capspace.h:
include/mica/caps.h:
kernel/include/gate.h:
kernel/include/kobj.h:
kernel/include/invoke.h:
kernel/include/sched.h:
kernel/include/thread.h:
include/mica/thread.h:
include/mica/utcb.h:
kernel/include/arch/context.h:
kernel/include/arch/regs.h:
kernel/include/arch/vm.h:
kernel/include/task.h:
