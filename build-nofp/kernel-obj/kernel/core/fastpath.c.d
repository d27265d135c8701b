build-nofp/kernel-obj/kernel/core/fastpath.c.o: kernel/core/fastpath.c \
 kernel/include/fastpath.h
kernel/include/fastpath.h:
