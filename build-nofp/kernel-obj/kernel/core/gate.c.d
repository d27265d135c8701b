build-nofp/kernel-obj/kernel/core/gate.c.o: kernel/core/gate.c \
 kernel/include/gate.h kernel/include/kobj.h include/mica/caps.h \
 include/mica/types.h kernel/include/ipc.h include/mica/error.h \
 include/mica/msgtag.h kernel/include/thread.h include/mica/thread.h \
 include/mica/utcb.h kernel/include/arch/context.h \
 kernel/include/arch/regs.h kernel/include/arch/vm.h
kernel/include/gate.h:
kernel/include/kobj.h:
include/mica/caps.h:
include/mica/types.h:
kernel/include/ipc.h:
include/mica/error.h:
include/mica/msgtag.h:
kernel/include/thread.h:
include/mica/thread.h:
include/mica/utcb.h:
kernel/include/arch/context.h:
kernel/include/arch/regs.h:
kernel/include/arch/vm.h:
