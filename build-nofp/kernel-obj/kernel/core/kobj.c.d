build-nofp/kernel-obj/kernel/core/kobj.c.o: kernel/core/kobj.c \
 kernel/include/kobj.h include/mica/caps.h include/mica/types.h \
 kernel/include/cap.h include/mica/error.h kernel/include/capspace.h \
 kernel/include/factory.h include/mica/msgtag.h kernel/include/gate.h \
 kernel/include/arch/vm.h kernel/include/kmem.h kernel/include/memmap.h \
 include/mica/kip.h kernel/include/task.h kernel/include/thread.h \
 include/mica/thread.h include/mica/utcb.h kernel/include/arch/context.h \
 kernel/include/arch/regs.h
kernel/include/kobj.h:
include/mica/caps.h:
include/mica/types.h:
kernel/include/cap.h:
include/mica/error.h:
kernel/include/capspace.h:
kernel/include/factory.h:
include/mica/msgtag.h:
kernel/include/gate.h:
kernel/include/arch/vm.h:
kernel/include/kmem.h:
kernel/include/memmap.h:
include/mica/kip.h:
kernel/include/task.h:
kernel/include/thread.h:
include/mica/thread.h:
include/mica/utcb.h:
kernel/include/arch/context.h:
kernel/include/arch/regs.h:
