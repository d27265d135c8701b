build-nofp/kernel-obj/kernel/core/boot_task.c.o: kernel/core/boot_task.c \
 kernel/include/boot_task.h kernel/include/bootinfo.h \
 kernel/include/memmap.h include/mica/kip.h include/mica/types.h \
 kernel/include/phys_access.h include/mica/layout.h \
 lib/freestanding/string.h kernel/include/arch/vm.h kernel/include/elf.h \
 kernel/include/kip.h kernel/include/kip_builder.h kernel/include/cap.h \
 include/mica/error.h kernel/include/capspace.h include/mica/caps.h \
 kernel/include/factory.h include/mica/msgtag.h kernel/include/kobj.h \
 kernel/include/kmem.h kernel/include/kprintf.h kernel/include/sched.h \
 kernel/include/thread.h include/mica/thread.h include/mica/utcb.h \
 kernel/include/arch/context.h kernel/include/arch/regs.h \
 kernel/include/task.h kernel/include/vcon.h
kernel/include/boot_task.h:
kernel/include/bootinfo.h:
kernel/include/memmap.h:
include/mica/kip.h:
include/mica/types.h:
kernel/include/phys_access.h:
include/mica/layout.h:
lib/freestanding/string.h:
kernel/include/arch/vm.h:
kernel/include/elf.h:
kernel/include/kip.h:
kernel/include/kip_builder.h:
kernel/include/cap.h:
include/mica/error.h:
kernel/include/capspace.h:
include/mica/caps.h:
kernel/include/factory.h:
include/mica/msgtag.h:
kernel/include/kobj.h:
kernel/include/kmem.h:
kernel/include/kprintf.h:
kernel/include/sched.h:
kernel/include/thread.h:
include/mica/thread.h:
include/mica/utcb.h:
kernel/include/arch/context.h:
kernel/include/arch/regs.h:
kernel/include/task.h:
kernel/include/vcon.h:
