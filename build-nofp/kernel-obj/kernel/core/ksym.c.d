build-nofp/kernel-obj/kernel/core/ksym.c.o: kernel/core/ksym.c \
 kernel/include/ksym.h
kernel/include/ksym.h:
