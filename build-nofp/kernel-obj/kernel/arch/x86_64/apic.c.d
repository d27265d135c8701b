build-nofp/kernel-obj/kernel/arch/x86_64/apic.c.o: \
 kernel/arch/x86_64/apic.c kernel/arch/x86_64/apic.h \
 kernel/include/arch/vm.h kernel/arch/x86_64/cpufeatures.h \
 kernel/arch/x86_64/x86.h
kernel/arch/x86_64/apic.h:
kernel/include/arch/vm.h:
kernel/arch/x86_64/cpufeatures.h:
kernel/arch/x86_64/x86.h:
