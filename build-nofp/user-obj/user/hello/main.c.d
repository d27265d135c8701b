build-nofp/user-obj/user/hello/main.c.o: user/hello/main.c \
 user/lib/include/boot_env.h include/mica/kip.h include/mica/types.h \
 user/lib/include/console.h include/mica/layout.h \
 user/lib/include/mica_sys.h include/mica/caps.h include/mica/error.h \
 include/mica/msgtag.h include/mica/syscall.h include/mica/utcb.h
user/lib/include/boot_env.h:
include/mica/kip.h:
include/mica/types.h:
user/lib/include/console.h:
include/mica/layout.h:
user/lib/include/mica_sys.h:
include/mica/caps.h:
include/mica/error.h:
include/mica/msgtag.h:
include/mica/syscall.h:
include/mica/utcb.h:
