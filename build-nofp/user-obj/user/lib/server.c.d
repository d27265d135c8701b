build-nofp/user-obj/user/lib/server.c.o: user/lib/server.c \
 user/lib/include/mica_server.h user/lib/include/mica_sys.h \
 include/mica/caps.h include/mica/types.h include/mica/error.h \
 include/mica/msgtag.h include/mica/syscall.h include/mica/utcb.h
user/lib/include/mica_server.h:
user/lib/include/mica_sys.h:
include/mica/caps.h:
include/mica/types.h:
include/mica/error.h:
include/mica/msgtag.h:
include/mica/syscall.h:
include/mica/utcb.h:
