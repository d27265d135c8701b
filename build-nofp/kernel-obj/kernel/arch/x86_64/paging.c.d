build-nofp/kernel-obj/kernel/arch/x86_64/paging.c.o: \
 kernel/arch/x86_64/paging.c kernel/include/arch/vm.h \
 lib/freestanding/string.h kernel/arch/x86_64/cpufeatures.h \
 kernel/include/factory.h include/mica/msgtag.h include/mica/types.h \
 kernel/include/kobj.h include/mica/caps.h kernel/include/kmem.h \
 kernel/include/memmap.h include/mica/kip.h kernel/include/kprintf.h \
 kernel/arch/x86_64/layout.h kernel/include/panic.h \
 kernel/include/percpu.h kernel/include/arch/percpu.h \
 kernel/arch/x86_64/x86.h
kernel/include/arch/vm.h:
lib/freestanding/string.h:
kernel/arch/x86_64/cpufeatures.h:
kernel/include/factory.h:
include/mica/msgtag.h:
include/mica/types.h:
kernel/include/kobj.h:
include/mica/caps.h:
kernel/include/kmem.h:
kernel/include/memmap.h:
include/mica/kip.h:
kernel/include/kprintf.h:
kernel/arch/x86_64/layout.h:
kernel/include/panic.h:
kernel/include/percpu.h:
kernel/include/arch/percpu.h:
kernel/arch/x86_64/x86.h:
