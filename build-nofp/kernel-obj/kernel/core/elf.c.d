build-nofp/kernel-obj/kernel/core/elf.c.o: kernel/core/elf.c \
 kernel/include/elf.h lib/freestanding/string.h
kernel/include/elf.h:
lib/freestanding/string.h:
