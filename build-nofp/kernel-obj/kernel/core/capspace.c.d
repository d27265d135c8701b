build-nofp/kernel-obj/kernel/core/capspace.c.o: kernel/core/capspace.c \
 kernel/include/capspace.h include/mica/caps.h include/mica/types.h \
 lib/freestanding/string.h
kernel/include/capspace.h:
include/mica/caps.h:
include/mica/types.h:
lib/freestanding/string.h:
