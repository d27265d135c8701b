/* The POSIX back end's internal interface (user/posix/README.md): what
 * __mica_syscall (syscall.c) dispatches to, one file per concern. Each
 * returns what the Linux system call would: a result, or -errno. */
#pragma once

#include <mica/types.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

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
unsigned long posix_mem_held(void); /* for programs' own checks (the libc suite) */

/* caps.c: the program's free capability selectors. */
mica_cap_t posix_cap_alloc(void);
void posix_cap_free(mica_cap_t sel);

/* tls.c */
long posix_arch_prctl(long code, long addr);

/* proc.c */
long posix_exit(long status) __attribute__((noreturn));
long posix_getpid(void);
long posix_uname(long buf);

/* time.c */
long posix_clock_gettime(long clk, long ts);
long posix_clock_getres(long clk, long ts);
long posix_nanosleep(long clk, long flags, long req, long rem);
/* The KIP clock: ns since boot (CLOCK_MONOTONIC). */
uint64_t posix_now_ns(void);
/* The boot-clock time (ns) at which clock clk reads ns; 0 if that is
 * already past. */
uint64_t posix_clock_to_boot(long clk, uint64_t ns);

/* lock.c: the back end's locks (a spin lock that yields; a mutex whose
 * waiters sleep in the futex service). Both start zeroed. */
typedef struct {
	int held;
} posix_spin_t;
typedef struct {
	int state;
} posix_mutex_t;
void posix_spin_lock(posix_spin_t *l);
void posix_spin_unlock(posix_spin_t *l);
void posix_mutex_lock(posix_mutex_t *m);
void posix_mutex_unlock(posix_mutex_t *m);

/* futex.c: futex(2); the wait and wake the locks use. deadline: the
 * boot-clock ns to give up at (0: never). */
long posix_futex(long uaddr, long op, long val, long timeout, long uaddr2, long val3);
long posix_futex_wait(volatile int *addr, int val, uint64_t deadline);
long posix_futex_wake(volatile int *addr, long n);

/* thread.c: threads. The main thread's id is the process id. */
#define POSIX_MAIN_TID 1
/* NOLINTNEXTLINE(bugprone-reserved-identifier): called from musl (user/posix/musl) */
int __mica_clone(int (*fn)(void *), void *stack, int flags, void *arg, int *ptid, void *tls, int *ctid);
void posix_thread_exit(long status) __attribute__((noreturn));
/* NOLINTNEXTLINE(bugprone-reserved-identifier): called from musl (user/posix/musl) */
void __mica_unmapself(void *base, size_t size) __attribute__((noreturn));
long posix_gettid(void);
long posix_getcpu(long cpu, long node);
long posix_sched_getaffinity(long pid, long size, long mask);
long posix_set_tid_address(long addr);
/* The calling thread's capability, and its futex IRQ (0 if none can be
 * made). */
mica_cap_t posix_self_cap(void);
mica_cap_t posix_thread_irq(void);
/* The calling thread's thread pointer; set first unless set is 0. */
mica_word_t posix_thread_fs(mica_word_t set);
/* A UTCB slot for a thread that is no POSIX thread (tls.c's helper), or
 * -1; and a slot's UTCB address. */
int posix_thread_slot_reserve(void);
mica_word_t posix_thread_utcb(int slot);

/* signal.c */
long posix_rt_sigaction(long sig, long act, long old, long size);

/* ---- files (fd.c, vfs.c, romfs.c, tmpfs.c) ---- */
/* What a descriptor names. */
enum posix_kind {
	POSIX_FD_FREE,
	POSIX_FD_STD, /* 0-2: io.c */
	POSIX_FD_TMP, /* a file or directory of /tmp: a RAM file-system handle */
	POSIX_FD_ROM, /* a module of /rom, mapped read-only */
	POSIX_FD_DIR, /* "/" or "/rom": listed by the VFS itself */
};

/* An open file description: what one or more descriptors name (dup). */
struct posix_file {
	enum posix_kind kind;
	unsigned refs;	  /* descriptors naming it */
	int flags;	  /* O_ACCMODE, O_APPEND, O_DIRECTORY of the open */
	mica_word_t off;  /* the file position; a directory's cookie */
	mica_word_t h;	  /* POSIX_FD_TMP: the handle */
	mica_word_t size; /* POSIX_FD_ROM: the module's size */
	mica_word_t map;  /* POSIX_FD_ROM: where it is mapped */
	mica_cap_t ds;	  /* POSIX_FD_ROM: its dataspace */
	int dir;	  /* a directory (POSIX_FD_DIR: 1 "/", 2 "/rom") */
};

#define POSIX_FDS 64
/* The file fd names (kind not FREE), or 0. */
struct posix_file *posix_fd(long fd);
/* A free descriptor (the lowest) naming a new description of kind: its
 * number, or -EMFILE. */
long posix_fd_new(enum posix_kind kind, struct posix_file **out);
/* The descriptor is free again; its description too if it was the last
 * (nothing is closed: for a failed open). */
void posix_fd_release(long fd);
/* dup, dup2 (is_dup3 0) and dup3, fcntl(F_DUPFD) from `from` on. */
long posix_dup(long fd);
long posix_dup3(long fd, long newfd, long flags, int is_dup3);
long posix_dupfd(long fd, long from);

/* The /tmp file system (tmpfs.c): paths inside it ("/x" for "/tmp/x").
 * Each returns 0 or -errno. */
long posix_tmp_open(const char *path, int flags, struct posix_file *f);
long posix_tmp_read(struct posix_file *f, char *buf, mica_word_t n);
long posix_tmp_write(struct posix_file *f, const char *buf, mica_word_t n);
long posix_tmp_close(struct posix_file *f);
long posix_tmp_fstat(struct posix_file *f, struct stat *st);
long posix_tmp_truncate(struct posix_file *f, mica_word_t size);
long posix_tmp_getdents(struct posix_file *f, char *buf, mica_word_t n);
long posix_tmp_mkdir(const char *path);
long posix_tmp_unlink(const char *path);
long posix_tmp_rmdir(const char *path);
long posix_tmp_rename(const char *from, const char *to);
/* The file's dataspace at a new selector (*ds): 0 or -errno. */
long posix_tmp_ds(struct posix_file *f, mica_cap_t *ds);
mica_word_t posix_tmp_size(struct posix_file *f);

/* /rom (romfs.c): name is the module's. */
long posix_rom_open(const char *name, int flags, struct posix_file *f);
long posix_rom_read(struct posix_file *f, char *buf, mica_word_t n);
long posix_rom_close(struct posix_file *f);
long posix_rom_fstat(struct posix_file *f, struct stat *st);
/* The modules as directory entries from index f->off. */
long posix_rom_getdents(struct posix_file *f, char *buf, mica_word_t n);

/* A directory entry appended to buf (getdents64's format): its length,
 * or 0 if it does not fit in room. */
mica_word_t posix_dirent(char *buf, mica_word_t room, mica_word_t ino, mica_word_t next, unsigned char type,
			 const char *name, mica_word_t len);

/* syscall.c: the lock of the descriptor table and the file systems,
 * which the dispatch takes around every call on files (mem.c takes it
 * for a file's mapping, inside its own). */
void posix_files_lock(void);
void posix_files_unlock(void);

/* vfs.c: the system calls on paths and descriptors. */
long posix_openat(long dirfd, long path, long flags, long mode);
long posix_file_read(long fd, long buf, long n);
long posix_file_write(long fd, long buf, long n);
long posix_file_close(long fd);
long posix_pread(long fd, long buf, long n, long off, int write);
long posix_lseek(long fd, long off, long whence);
long posix_fstat(long fd, long st);
long posix_fstatat(long dirfd, long path, long st, long flags);
long posix_getdents64(long fd, long buf, long n);
long posix_getcwd(long buf, long size);
long posix_chdir(long path);
long posix_mkdirat(long dirfd, long path, long mode);
long posix_unlinkat(long dirfd, long path, long flags);
long posix_renameat(long olddir, long old, long newdir, long new_);
long posix_ftruncate(long fd, long size);
long posix_fcntl(long fd, long cmd, long arg);
/* mmap of a file: its dataspace (a new capability the mapping owns) and
 * whether it may be mapped writable. 0 or -errno. */
long posix_file_ds(long fd, long prot, mica_cap_t *ds);
