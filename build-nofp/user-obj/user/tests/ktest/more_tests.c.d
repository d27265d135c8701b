build-nofp/user-obj/user/tests/ktest/more_tests.c.o: \
 user/tests/ktest/more_tests.c include/mica/layout.h \
 user/lib/include/mica_server.h user/lib/include/mica_sys.h \
 include/mica/caps.h include/mica/types.h include/mica/error.h \
 include/mica/msgtag.h include/mica/syscall.h include/mica/utcb.h \
 user/tests/ktest/servers.h user/tests/ktest/ktest.h \
 user/lib/include/console.h user/lib/include/mica_obj.h \
 include/mica/factory.h include/mica/task.h include/mica/thread.h \
 include/mica/vcon.h
include/mica/layout.h:
user/lib/include/mica_server.h:
user/lib/include/mica_sys.h:
include/mica/caps.h:
include/mica/types.h:
include/mica/error.h:
include/mica/msgtag.h:
include/mica/syscall.h:
include/mica/utcb.h:
user/tests/ktest/servers.h:
user/tests/ktest/ktest.h:
user/lib/include/console.h:
user/lib/include/mica_obj.h:
include/mica/factory.h:
include/mica/task.h:
include/mica/thread.h:
include/mica/vcon.h:
