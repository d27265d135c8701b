build-nofp/user-obj/user/lib/objects.c.o: user/lib/objects.c \
 user/lib/include/mica_obj.h include/mica/factory.h include/mica/caps.h \
 include/mica/types.h include/mica/task.h include/mica/thread.h \
 include/mica/vcon.h include/mica/msgtag.h user/lib/include/mica_sys.h \
 include/mica/error.h include/mica/syscall.h include/mica/utcb.h
user/lib/include/mica_obj.h:
include/mica/factory.h:
include/mica/caps.h:
include/mica/types.h:
include/mica/task.h:
include/mica/thread.h:
include/mica/vcon.h:
include/mica/msgtag.h:
user/lib/include/mica_sys.h:
include/mica/error.h:
include/mica/syscall.h:
include/mica/utcb.h:
