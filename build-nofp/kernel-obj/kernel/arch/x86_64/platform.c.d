build-nofp/kernel-obj/kernel/arch/x86_64/platform.c.o: \
 kernel/arch/x86_64/platform.c kernel/include/arch/cpu.h \
 kernel/include/arch/platform.h kernel/arch/x86_64/x86.h
kernel/include/arch/cpu.h:
kernel/include/arch/platform.h:
kernel/arch/x86_64/x86.h:
