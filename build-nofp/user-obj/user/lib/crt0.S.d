build-nofp/user-obj/user/lib/crt0.S.o: user/lib/crt0.S
