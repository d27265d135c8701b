build-nofp/kernel-obj/kernel/arch/x86_64/entry.S.o: \
 kernel/arch/x86_64/entry.S kernel/arch/x86_64/layout.h
kernel/arch/x86_64/layout.h:
