build-nofp/kernel-obj/kernel/core/vcon.c.o: kernel/core/vcon.c \
 include/mica/vcon.h include/mica/msgtag.h include/mica/types.h \
 kernel/include/capspace.h include/mica/caps.h kernel/include/invoke.h \
 include/mica/error.h kernel/include/kprintf.h kernel/include/thread.h \
 include/mica/thread.h include/mica/utcb.h kernel/include/arch/context.h \
 kernel/include/arch/regs.h kernel/include/arch/vm.h \
 kernel/include/kobj.h kernel/include/vcon.h
include/mica/vcon.h:
include/mica/msgtag.h:
include/mica/types.h:
kernel/include/capspace.h:
include/mica/caps.h:
kernel/include/invoke.h:
include/mica/error.h:
kernel/include/kprintf.h:
kernel/include/thread.h:
include/mica/thread.h:
include/mica/utcb.h:
kernel/include/arch/context.h:
kernel/include/arch/regs.h:
kernel/include/arch/vm.h:
kernel/include/kobj.h:
kernel/include/vcon.h:
