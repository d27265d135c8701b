build-nofp/kernel-obj/kernel/core/kmem.c.o: kernel/core/kmem.c \
 kernel/include/kmem.h kernel/include/memmap.h include/mica/kip.h \
 include/mica/types.h lib/freestanding/string.h kernel/include/arch/vm.h \
 kernel/include/frame.h kernel/include/kprintf.h kernel/include/panic.h \
 kernel/include/spinlock.h
kernel/include/kmem.h:
kernel/include/memmap.h:
include/mica/kip.h:
include/mica/types.h:
lib/freestanding/string.h:
kernel/include/arch/vm.h:
kernel/include/frame.h:
kernel/include/kprintf.h:
kernel/include/panic.h:
kernel/include/spinlock.h:
