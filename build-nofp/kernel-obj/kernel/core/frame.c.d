build-nofp/kernel-obj/kernel/core/frame.c.o: kernel/core/frame.c \
 kernel/include/frame.h
kernel/include/frame.h:
