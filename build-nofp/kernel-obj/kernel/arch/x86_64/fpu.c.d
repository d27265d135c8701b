build-nofp/kernel-obj/kernel/arch/x86_64/fpu.c.o: \
 kernel/arch/x86_64/fpu.c kernel/include/arch/fpu.h \
 lib/freestanding/string.h kernel/arch/x86_64/cpufeatures.h \
 kernel/include/panic.h kernel/include/percpu.h \
 kernel/include/arch/percpu.h kernel/include/thread.h \
 include/mica/msgtag.h include/mica/types.h include/mica/thread.h \
 include/mica/utcb.h kernel/include/arch/context.h \
 kernel/include/arch/regs.h kernel/include/arch/vm.h \
 kernel/include/kobj.h include/mica/caps.h kernel/arch/x86_64/x86.h
kernel/include/arch/fpu.h:
lib/freestanding/string.h:
kernel/arch/x86_64/cpufeatures.h:
kernel/include/panic.h:
kernel/include/percpu.h:
kernel/include/arch/percpu.h:
kernel/include/thread.h:
include/mica/msgtag.h:
include/mica/types.h:
include/mica/thread.h:
include/mica/utcb.h:
kernel/include/arch/context.h:
kernel/include/arch/regs.h:
kernel/include/arch/vm.h:
kernel/include/kobj.h:
include/mica/caps.h:
kernel/arch/x86_64/x86.h:
