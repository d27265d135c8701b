build-nofp/kernel-obj/kernel/core/task.c.o: kernel/core/task.c \
 kernel/include/task.h include/mica/msgtag.h include/mica/types.h \
 kernel/include/arch/vm.h kernel/include/capspace.h include/mica/caps.h \
 kernel/include/kobj.h include/mica/utcb.h lib/freestanding/string.h \
 kernel/include/cap.h include/mica/error.h kernel/include/factory.h \
 kernel/include/kmem.h kernel/include/memmap.h include/mica/kip.h \
 kernel/include/thread.h include/mica/thread.h \
 kernel/include/arch/context.h kernel/include/arch/regs.h
kernel/include/task.h:
include/mica/msgtag.h:
include/mica/types.h:
kernel/include/arch/vm.h:
kernel/include/capspace.h:
include/mica/caps.h:
kernel/include/kobj.h:
include/mica/utcb.h:
lib/freestanding/string.h:
kernel/include/cap.h:
include/mica/error.h:
kernel/include/factory.h:
kernel/include/kmem.h:
kernel/include/memmap.h:
include/mica/kip.h:
kernel/include/thread.h:
include/mica/thread.h:
kernel/include/arch/context.h:
kernel/include/arch/regs.h:
