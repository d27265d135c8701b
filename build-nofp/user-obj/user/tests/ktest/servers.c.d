build-nofp/user-obj/user/tests/ktest/servers.c.o: \
 user/tests/ktest/servers.c user/tests/ktest/servers.h \
 user/tests/ktest/ktest.h user/lib/include/console.h \
 user/lib/include/mica_obj.h include/mica/factory.h include/mica/caps.h \
 include/mica/types.h include/mica/task.h include/mica/thread.h \
 include/mica/vcon.h include/mica/msgtag.h user/lib/include/mica_sys.h \
 include/mica/error.h include/mica/syscall.h include/mica/utcb.h
user/tests/ktest/servers.h:
user/tests/ktest/ktest.h:
user/lib/include/console.h:
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
