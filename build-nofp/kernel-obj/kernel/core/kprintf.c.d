build-nofp/kernel-obj/kernel/core/kprintf.c.o: kernel/core/kprintf.c \
 kernel/include/kprintf.h lib/include/format.h \
 kernel/include/arch/console.h kernel/include/spinlock.h
kernel/include/kprintf.h:
lib/include/format.h:
kernel/include/arch/console.h:
kernel/include/spinlock.h:
