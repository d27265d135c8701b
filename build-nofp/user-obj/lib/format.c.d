build-nofp/user-obj/lib/format.c.o: lib/format.c lib/include/format.h
lib/include/format.h:
