build-nofp/user-obj/lib/string.c.o: lib/string.c \
 lib/freestanding/string.h
lib/freestanding/string.h:
