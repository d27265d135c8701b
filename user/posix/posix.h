/* The POSIX back end's internal interface (user/posix/README.md): what
 * __mica_syscall (syscall.c) dispatches to, one file per concern. Each
 * returns what the Linux system call would: a result, or -errno. */
#pragma once

#include <mica/types.h>

/* io.c: the standard descriptors 0 (Vcon input), 1 and 2 (the log). */
long posix_read(long fd, long buf, long n);
long posix_readv(long fd, long iov, long cnt);
long posix_write(long fd, long buf, long n);
long posix_writev(long fd, long iov, long cnt);
long posix_ioctl(long fd, long req, long arg);
long posix_close(long fd);
/* Writes n bytes to the program's standard output (log or Vcon). */
int posix_out(const char *s, unsigned long n);

/* mem.c: anonymous memory on dataspaces attached to the region map. */
long posix_brk(long addr);
long posix_mmap(long addr, long len, long prot, long flags, long fd, long off);
long posix_munmap(long addr, long len);
long posix_mprotect(long addr, long len, long prot);

/* caps.c: the program's free capability selectors. */
mica_cap_t posix_cap_alloc(void);
void posix_cap_free(mica_cap_t sel);

/* tls.c */
long posix_arch_prctl(long code, long addr);

/* proc.c */
long posix_exit(long status) __attribute__((noreturn));
long posix_getpid(void);
long posix_set_tid_address(long addr);
long posix_uname(long buf);

/* time.c */
long posix_clock_gettime(long clk, long ts);
