build-nofp/kernel-obj/kernel/core/invoke.c.o: kernel/core/invoke.c \
 kernel/include/invoke.h include/mica/error.h include/mica/msgtag.h \
 include/mica/types.h include/mica/syscall.h lib/freestanding/string.h \
 kernel/include/arch/trap.h kernel/include/arch/regs.h \
 kernel/include/capspace.h include/mica/caps.h kernel/include/fastpath.h \
 kernel/include/ipc.h kernel/include/percpu.h \
 kernel/include/arch/percpu.h kernel/include/task.h \
 kernel/include/arch/vm.h kernel/include/kobj.h kernel/include/thread.h \
 include/mica/thread.h include/mica/utcb.h kernel/include/arch/context.h
kernel/include/invoke.h:
include/mica/error.h:
include/mica/msgtag.h:
include/mica/types.h:
include/mica/syscall.h:
lib/freestanding/string.h:
kernel/include/arch/trap.h:
kernel/include/arch/regs.h:
kernel/include/capspace.h:
include/mica/caps.h:
kernel/include/fastpath.h:
kernel/include/ipc.h:
kernel/include/percpu.h:
kernel/include/arch/percpu.h:
kernel/include/task.h:
kernel/include/arch/vm.h:
kernel/include/kobj.h:
kernel/include/thread.h:
include/mica/thread.h:
include/mica/utcb.h:
kernel/include/arch/context.h:
