build-nofp/kernel-obj/kernel/core/selftest.c.o: kernel/core/selftest.c \
 kernel/include/selftest.h lib/freestanding/string.h \
 kernel/include/bootinfo.h kernel/include/memmap.h include/mica/kip.h \
 include/mica/types.h kernel/include/phys_access.h \
 kernel/include/kprintf.h kernel/include/panic.h
kernel/include/selftest.h:
lib/freestanding/string.h:
kernel/include/bootinfo.h:
kernel/include/memmap.h:
include/mica/kip.h:
include/mica/types.h:
kernel/include/phys_access.h:
kernel/include/kprintf.h:
kernel/include/panic.h:
