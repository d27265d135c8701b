build-nofp/user-obj/user/lib/runtime.c.o: user/lib/runtime.c \
 user/lib/include/boot_env.h include/mica/kip.h include/mica/types.h \
 user/lib/include/console.h lib/include/format.h include/mica/error.h \
 include/mica/thread.h include/mica/vcon.h include/mica/msgtag.h \
 user/lib/include/mica_sys.h include/mica/caps.h include/mica/syscall.h \
 include/mica/utcb.h lib/freestanding/string.h
user/lib/include/boot_env.h:
include/mica/kip.h:
include/mica/types.h:
user/lib/include/console.h:
lib/include/format.h:
include/mica/error.h:
include/mica/thread.h:
include/mica/vcon.h:
include/mica/msgtag.h:
user/lib/include/mica_sys.h:
include/mica/caps.h:
include/mica/syscall.h:
include/mica/utcb.h:
lib/freestanding/string.h:
