build-nofp/kernel-obj/kernel/core/factory.c.o: kernel/core/factory.c \
 kernel/include/factory.h include/mica/msgtag.h include/mica/types.h \
 kernel/include/kobj.h include/mica/caps.h kernel/include/arch/vm.h \
 kernel/include/kmem.h kernel/include/memmap.h include/mica/kip.h \
 kernel/include/kprintf.h
kernel/include/factory.h:
include/mica/msgtag.h:
include/mica/types.h:
kernel/include/kobj.h:
include/mica/caps.h:
kernel/include/arch/vm.h:
kernel/include/kmem.h:
kernel/include/memmap.h:
include/mica/kip.h:
kernel/include/kprintf.h:
