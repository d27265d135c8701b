build-nofp/kernel-obj/kernel/core/cap.c.o: kernel/core/cap.c \
 kernel/include/cap.h include/mica/error.h kernel/include/capspace.h \
 include/mica/caps.h include/mica/types.h kernel/include/kobj.h \
 kernel/include/task.h include/mica/msgtag.h kernel/include/arch/vm.h
kernel/include/cap.h:
include/mica/error.h:
kernel/include/capspace.h:
include/mica/caps.h:
include/mica/types.h:
kernel/include/kobj.h:
kernel/include/task.h:
include/mica/msgtag.h:
kernel/include/arch/vm.h:
