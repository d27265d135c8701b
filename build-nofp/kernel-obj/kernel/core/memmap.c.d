build-nofp/kernel-obj/kernel/core/memmap.c.o: kernel/core/memmap.c \
 kernel/include/memmap.h include/mica/kip.h include/mica/types.h \
 lib/freestanding/string.h
kernel/include/memmap.h:
include/mica/kip.h:
include/mica/types.h:
lib/freestanding/string.h:
