build-nofp/kernel-obj/kernel/arch/x86_64/cpufeatures.c.o: \
 kernel/arch/x86_64/cpufeatures.c kernel/arch/x86_64/cpufeatures.h \
 lib/freestanding/string.h kernel/include/kprintf.h \
 kernel/arch/x86_64/x86.h
kernel/arch/x86_64/cpufeatures.h:
lib/freestanding/string.h:
kernel/include/kprintf.h:
kernel/arch/x86_64/x86.h:
