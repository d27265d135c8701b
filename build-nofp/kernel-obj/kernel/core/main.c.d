build-nofp/kernel-obj/kernel/core/main.c.o: kernel/core/main.c \
 include/mica/layout.h lib/freestanding/string.h build-nofp/gen/version.h \
 kernel/include/acpi.h kernel/include/phys_access.h \
 kernel/include/arch/cpu.h kernel/include/arch/init.h include/mica/kip.h \
 include/mica/types.h kernel/include/arch/trap.h \
 kernel/include/arch/regs.h kernel/include/arch/vm.h \
 kernel/include/boot_task.h kernel/include/bootinfo.h \
 kernel/include/memmap.h kernel/include/config.h kernel/include/kip.h \
 kernel/include/kip_builder.h kernel/include/kmem.h \
 kernel/include/kprintf.h kernel/include/panic.h kernel/include/percpu.h \
 kernel/include/arch/percpu.h kernel/include/selftest.h
include/mica/layout.h:
lib/freestanding/string.h:
build-nofp/gen/version.h:
kernel/include/acpi.h:
kernel/include/phys_access.h:
kernel/include/arch/cpu.h:
kernel/include/arch/init.h:
include/mica/kip.h:
include/mica/types.h:
kernel/include/arch/trap.h:
kernel/include/arch/regs.h:
kernel/include/arch/vm.h:
kernel/include/boot_task.h:
kernel/include/bootinfo.h:
kernel/include/memmap.h:
kernel/include/config.h:
kernel/include/kip.h:
kernel/include/kip_builder.h:
kernel/include/kmem.h:
kernel/include/kprintf.h:
kernel/include/panic.h:
kernel/include/percpu.h:
kernel/include/arch/percpu.h:
kernel/include/selftest.h:
