# Appended to musl's config.mak by tools/musl-build.sh: the files of
# user/posix/musl built in place of musl's own (user/posix/README.md).
# An explicit rule beats musl's pattern rule for the same object; musl
# archives the .lo objects.
obj/src/thread/x86_64/__set_thread_area.lo: $(MICA_OVERLAY)/__set_thread_area.c $(MICA_OVERLAY)/syscall_arch.h $(GENH) $(IMPH)
	$(CC_CMD)
obj/src/thread/x86_64/clone.lo: $(MICA_OVERLAY)/clone.c $(MICA_OVERLAY)/syscall_arch.h $(GENH) $(IMPH)
	$(CC_CMD)
obj/src/thread/x86_64/__unmapself.lo: $(MICA_OVERLAY)/__unmapself.c $(MICA_OVERLAY)/syscall_arch.h $(GENH) $(IMPH)
	$(CC_CMD)
# Every object depends on the overlay's syscall_arch.h.
$(ALL_OBJS:%.o=%.lo): $(MICA_OVERLAY)/syscall_arch.h
# musl's own pthread_mutex_unlock.c is included by the replacement
# (renamed), found through src/thread after the overlay directory.
obj/src/thread/pthread_mutex_unlock.lo: CFLAGS_ALL += -I$(srcdir)/src/thread
obj/src/thread/pthread_mutex_unlock.lo: $(MICA_OVERLAY)/pthread_mutex_unlock_fast.c $(srcdir)/src/thread/pthread_mutex_unlock.c $(MICA_OVERLAY)/syscall_arch.h $(GENH) $(IMPH)
	$(CC_CMD)
