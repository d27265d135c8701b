build-nofp/kernel-obj/kernel/core/factory_invoke.c.o: \
 kernel/core/factory_invoke.c include/mica/factory.h include/mica/caps.h \
 include/mica/types.h include/mica/layout.h kernel/include/cap.h \
 include/mica/error.h kernel/include/capspace.h kernel/include/factory.h \
 include/mica/msgtag.h kernel/include/kobj.h kernel/include/gate.h \
 kernel/include/invoke.h kernel/include/task.h kernel/include/arch/vm.h \
 kernel/include/thread.h include/mica/thread.h include/mica/utcb.h \
 kernel/include/arch/context.h kernel/include/arch/regs.h
include/mica/factory.h:
include/mica/caps.h:
include/mica/types.h:
include/mica/layout.h:
kernel/include/cap.h:
include/mica/error.h:
kernel/include/capspace.h:
kernel/include/factory.h:
include/mica/msgtag.h:
kernel/include/kobj.h:
kernel/include/gate.h:
kernel/include/invoke.h:
kernel/include/task.h:
kernel/include/arch/vm.h:
kernel/include/thread.h:
include/mica/thread.h:
include/mica/utcb.h:
kernel/include/arch/context.h:
kernel/include/arch/regs.h:
