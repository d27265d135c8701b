build-nofp/kernel-obj/kernel/core/percpu.c.o: kernel/core/percpu.c \
 kernel/include/percpu.h kernel/include/arch/percpu.h \
 kernel/include/config.h
kernel/include/percpu.h:
kernel/include/arch/percpu.h:
kernel/include/config.h:
