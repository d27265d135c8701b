/* The first C program on musl (user/posix): ordinary C against the
 * standard library, built with build/bin/mica-cc and started by the
 * loader. It checks stdio formats, malloc/free of many blocks, mmap,
 * strtod, qsort, setjmp/longjmp, thread-local data, the clock, uname
 * and an unsupported call, prints a line per group and exits with
 * status 7 if every check held (100 + the failures otherwise); the
 * libc_ ktest cases check its lines and its status. */
#define _GNU_SOURCE /* NOLINT(bugprone-reserved-identifier): MAP_ANONYMOUS, clock_gettime under -std=c11 */
#include <errno.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

static int failed;

#define CHECK(c)                                                                                             \
	do {                                                                                                 \
		if (!(c) && failed++ < 5)                                                                    \
			printf("FAIL %s:%d: %s\n", __FILE__, __LINE__, #c);                                  \
	} while (0)

static void formats(void)
{
	char b[128];
	snprintf(b, sizeof(b), "%d|%5.2f|%-4s|%x|%o|%c|%%|%ld|%e|%g", -42, 3.14159, "ab", 255, 8, 'z',
		 1234567890123L, 12345.678, 0.0001);
	CHECK(strcmp(b, "-42| 3.14|ab  |ff|10|z|%|1234567890123|1.234568e+04|0.0001") == 0);
	const char *volatile longer = "truncated string";
	int n = snprintf(b, 8, "%s", longer);
	CHECK(n == 16 && strcmp(b, "truncat") == 0);
	snprintf(b, sizeof(b), "%08.3f|%+d|%#x|%p", -1.5, 5, 0x1f, (void *)0x1000);
	CHECK(strcmp(b, "-001.500|+5|0x1f|0x1000") == 0);
	printf("stdio: %s %d %.3f %#x\n", "hello from musl", 42, 2.5, 0xbeef);
}

static void blocks(void)
{
	enum { N = 20000 };
	static unsigned char *p[N];
	for (int i = 0; i < N; i++) {
		size_t sz = 1 + (size_t)(i * 37 % 128);
		p[i] = malloc(sz);
		CHECK(p[i] != 0);
		if (p[i])
			memset(p[i], i & 0xff, sz);
	}
	int bad = 0;
	for (int i = 0; i < N; i++) {
		size_t sz = 1 + (size_t)(i * 37 % 128);
		if (p[i] && (p[i][0] != (i & 0xff) || p[i][sz - 1] != (i & 0xff)))
			bad++;
	}
	CHECK(bad == 0);
	for (int i = 0; i < N; i += 2)
		free(p[i]);
	for (int i = 1; i < N; i += 2)
		free(p[i]);
	/* big blocks come from mmap and go back with munmap: 16 MiB
	 * written in all, far beyond the program's memory quota, fits only
	 * if each block's pages return to it */
	int big_ok = 0;
	for (int r = 0; r < 16; r++) {
		char *big = malloc(1u << 20);
		CHECK(big != 0);
		if (big) {
			memset(big, r + 1, 1u << 20);
			big_ok += big[0] == r + 1 && big[(1u << 20) - 1] == r + 1;
		}
		free(big);
	}
	CHECK(big_ok == 16);
	/* the same straight with mmap and munmap */
	int mapped_ok = 0;
	for (int r = 0; r < 16; r++) {
		char *m = mmap(0, 1u << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		CHECK(m != MAP_FAILED);
		if (m == MAP_FAILED)
			break;
		memset(m, r + 1, 1u << 20);
		mapped_ok += m[(1u << 20) - 1] == r + 1;
		CHECK(munmap(m, 1u << 20) == 0);
	}
	CHECK(mapped_ok == 16);
	char *m = mmap(0, 65536, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(m != MAP_FAILED);
	if (m != MAP_FAILED) {
		CHECK(m[100] == 0);
		m[65535] = 'x';
		CHECK(munmap(m, 65536) == 0);
		CHECK(munmap(m, 65536) == -1 && errno == EINVAL);
	}
	/* the break grows by dataspaces attached right after the last */
	char *b0 = sbrk(0);
	CHECK(b0 != (char *)-1 && (uintptr_t)b0 % 4096 == 0);
	const size_t grow = 3ul * 4096;
	char *b1 = (char *)syscall(SYS_brk, b0 + grow);
	CHECK(b1 == b0 + grow);
	if (b1 == b0 + grow) {
		CHECK(b0[0] == 0 && b1[-1] == 0);
		b0[0] = b1[-1] = 'b';
		CHECK(b0[0] == 'b');
	}
	printf("malloc: %d blocks written, checked and freed; %d MiB in 1 MiB blocks\n", N, big_ok);
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	return (x > y) - (x < y);
}

static void numbers(void)
{
	char *end;
	CHECK(strtod("3.25e2", &end) == 325.0 && *end == 0);
	CHECK(strtod("0x1p-2", 0) == 0.25);
	CHECK(strtol("-0x7f", 0, 16) == -127);
	static int v[1000];
	unsigned s = 12345;
	for (int i = 0; i < 1000; i++) {
		s = s * 1103515245u + 12345u;
		v[i] = (int)(s >> 8) % 10000;
	}
	qsort(v, 1000, sizeof(v[0]), cmp_int);
	int sorted = 1;
	for (int i = 1; i < 1000; i++)
		sorted &= v[i - 1] <= v[i];
	CHECK(sorted);
	printf("numbers: strtod %g, qsort of 1000 sorted=%d\n", strtod("1.5e-3", 0), sorted);
}

static jmp_buf jb;
static __attribute__((noinline)) void jump_inner(int v)
{
	longjmp(jb, v);
}

static __attribute__((noinline)) void jump(int v)
{
	char frame[256];
	memset(frame, v, sizeof(frame)); /* a frame that longjmp must unwind */
	jump_inner(frame[v] + 0);
}

static _Thread_local int tls_counter = 5;
static _Thread_local char tls_zero[64];

static void control(void)
{
	volatile int passes = 0;
	int r = setjmp(jb);
	passes++;
	if (r == 0)
		jump(17);
	CHECK(r == 17 && passes == 2);
	CHECK(tls_counter == 5 && tls_zero[63] == 0);
	tls_counter += 10;
	CHECK(tls_counter == 15);
	errno = 0;
	CHECK(write(9, "x", 1) == -1 && errno == EBADF);
	printf("control: setjmp/longjmp %d, tls %d\n", r, tls_counter);
}

static void sys_checks(void)
{
	struct timespec a, b;
	CHECK(clock_gettime(CLOCK_MONOTONIC, &a) == 0);
	volatile unsigned long spin = 0;
	for (unsigned long i = 0; i < 200000; i++)
		spin += i;
	CHECK(clock_gettime(CLOCK_MONOTONIC, &b) == 0);
	long long d = (b.tv_sec - a.tv_sec) * 1000000000LL + (b.tv_nsec - a.tv_nsec);
	CHECK(d > 0);
	CHECK(a.tv_nsec >= 0 && a.tv_nsec < 1000000000);
	struct utsname u;
	CHECK(uname(&u) == 0 && strcmp(u.sysname, "Mica") == 0);
	CHECK(getpid() > 0);
	/* unsupported: -1 with ENOSYS, reported once however often */
	int fds[2];
	errno = 0;
	CHECK(pipe(fds) == -1 && errno == ENOSYS);
	errno = 0;
	CHECK(pipe(fds) == -1 && errno == ENOSYS);
	printf("system: %s, clock moved %s, ENOSYS %s\n", u.sysname, d > 0 ? "forward" : "NOT forward",
	       errno == ENOSYS ? "ok" : "wrong");
}

int main(int argc, char **argv)
{
	printf("libc_hello: argc %d, argv[0] %s\n", argc, argv[0]);
	formats();
	blocks();
	numbers();
	control();
	sys_checks();
	CHECK(fprintf(stderr, "stderr: unbuffered, to the same log\n") == 36);
	printf("libc_hello: %d failed\n", failed);
	fputs("no newline at the end", stdout);
	return failed ? 100 + failed : 7;
}
