build-nofp/kernel-obj/kernel/core/kip.c.o: kernel/core/kip.c \
 kernel/include/kip.h kernel/include/kip_builder.h include/mica/kip.h \
 include/mica/types.h kernel/include/bootinfo.h kernel/include/memmap.h \
 kernel/include/phys_access.h kernel/include/arch/vm.h \
 kernel/include/kmem.h kernel/include/kprintf.h kernel/include/panic.h
kernel/include/kip.h:
kernel/include/kip_builder.h:
include/mica/kip.h:
include/mica/types.h:
kernel/include/bootinfo.h:
kernel/include/memmap.h:
kernel/include/phys_access.h:
kernel/include/arch/vm.h:
kernel/include/kmem.h:
kernel/include/kprintf.h:
kernel/include/panic.h:
