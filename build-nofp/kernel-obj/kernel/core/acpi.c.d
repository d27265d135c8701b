build-nofp/kernel-obj/kernel/core/acpi.c.o: kernel/core/acpi.c \
 kernel/include/acpi.h kernel/include/phys_access.h \
 lib/freestanding/string.h kernel/include/le.h
kernel/include/acpi.h:
kernel/include/phys_access.h:
lib/freestanding/string.h:
kernel/include/le.h:
