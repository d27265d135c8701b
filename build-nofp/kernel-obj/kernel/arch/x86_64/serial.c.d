build-nofp/kernel-obj/kernel/arch/x86_64/serial.c.o: \
 kernel/arch/x86_64/serial.c kernel/include/arch/console.h \
 kernel/arch/x86_64/x86.h
kernel/include/arch/console.h:
kernel/arch/x86_64/x86.h:
