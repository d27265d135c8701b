build-nofp/kernel-obj/kernel/arch/x86_64/init.c.o: \
 kernel/arch/x86_64/init.c kernel/include/arch/fpu.h \
 kernel/include/arch/init.h include/mica/kip.h include/mica/types.h \
 kernel/include/acpi.h kernel/include/phys_access.h \
 kernel/arch/x86_64/apic.h kernel/arch/x86_64/cpufeatures.h \
 kernel/include/arch/console.h kernel/include/kip_builder.h \
 kernel/include/bootinfo.h kernel/include/memmap.h \
 kernel/include/kprintf.h kernel/arch/x86_64/layout.h \
 kernel/include/percpu.h kernel/include/arch/percpu.h \
 kernel/arch/x86_64/x86.h
kernel/include/arch/fpu.h:
kernel/include/arch/init.h:
include/mica/kip.h:
include/mica/types.h:
kernel/include/acpi.h:
kernel/include/phys_access.h:
kernel/arch/x86_64/apic.h:
kernel/arch/x86_64/cpufeatures.h:
kernel/include/arch/console.h:
kernel/include/kip_builder.h:
kernel/include/bootinfo.h:
kernel/include/memmap.h:
kernel/include/kprintf.h:
kernel/arch/x86_64/layout.h:
kernel/include/percpu.h:
kernel/include/arch/percpu.h:
kernel/arch/x86_64/x86.h:
