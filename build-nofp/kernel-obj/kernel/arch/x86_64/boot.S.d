build-nofp/kernel-obj/kernel/arch/x86_64/boot.S.o: \
 kernel/arch/x86_64/boot.S kernel/arch/x86_64/layout.h
kernel/arch/x86_64/layout.h:
