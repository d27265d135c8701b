build-nofp/user-obj/user/tests/fault/main.c.o: user/tests/fault/main.c \
 user/lib/include/boot_env.h include/mica/kip.h include/mica/types.h \
 user/lib/include/console.h include/mica/error.h \
 user/lib/include/mica_sys.h include/mica/caps.h include/mica/msgtag.h \
 include/mica/syscall.h include/mica/utcb.h lib/freestanding/string.h
user/lib/include/boot_env.h:
include/mica/kip.h:
include/mica/types.h:
user/lib/include/console.h:
include/mica/error.h:
user/lib/include/mica_sys.h:
include/mica/caps.h:
include/mica/msgtag.h:
include/mica/syscall.h:
include/mica/utcb.h:
lib/freestanding/string.h:
