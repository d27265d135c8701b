build-nofp/kernel-obj/kernel/core/panic.c.o: kernel/core/panic.c \
 kernel/include/panic.h kernel/include/arch/cpu.h \
 kernel/include/arch/platform.h kernel/include/config.h \
 kernel/include/kprintf.h
kernel/include/panic.h:
kernel/include/arch/cpu.h:
kernel/include/arch/platform.h:
kernel/include/config.h:
kernel/include/kprintf.h:
