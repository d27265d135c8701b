build-nofp/kernel-obj/kernel/core/kip_builder.c.o: \
 kernel/core/kip_builder.c kernel/include/kip_builder.h \
 include/mica/kip.h include/mica/types.h kernel/include/bootinfo.h \
 kernel/include/memmap.h kernel/include/phys_access.h include/mica/utcb.h \
 lib/freestanding/string.h
kernel/include/kip_builder.h:
include/mica/kip.h:
include/mica/types.h:
kernel/include/bootinfo.h:
kernel/include/memmap.h:
kernel/include/phys_access.h:
include/mica/utcb.h:
lib/freestanding/string.h:
