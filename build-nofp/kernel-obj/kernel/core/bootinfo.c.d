build-nofp/kernel-obj/kernel/core/bootinfo.c.o: kernel/core/bootinfo.c \
 kernel/include/bootinfo.h kernel/include/memmap.h include/mica/kip.h \
 include/mica/types.h kernel/include/phys_access.h \
 lib/freestanding/string.h kernel/include/le.h
kernel/include/bootinfo.h:
kernel/include/memmap.h:
include/mica/kip.h:
include/mica/types.h:
kernel/include/phys_access.h:
lib/freestanding/string.h:
kernel/include/le.h:
