build-nofp/kernel-obj/kernel/arch/x86_64/pit.c.o: \
 kernel/arch/x86_64/pit.c kernel/arch/x86_64/apic.h \
 kernel/arch/x86_64/x86.h
kernel/arch/x86_64/apic.h:
kernel/arch/x86_64/x86.h:
