/* The fs_read_64k benchmark's program (make bench, docs/benchmarks.md):
 * read() of a 64 KiB file in /tmp through musl and the POSIX back end,
 * timed with the TSC (under -icount: guest instructions). The samples
 * go to /tmp/fs_read_64k.samples, where the benchmark's root task (the
 * file system's server) reads them after this program exits. Exit
 * status 0 if every read returned the file's bytes. */
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SIZE 65536
#define SAMPLES 100
#define WARMUP 5

static inline uint64_t stamp(void)
{
	uint32_t lo, hi;
	__asm__ volatile("lfence; rdtsc; lfence" : "=a"(lo), "=d"(hi)::"memory");
	return ((uint64_t)hi << 32) | lo;
}

static unsigned char data[SIZE], buf[SIZE];
static uint64_t samples[SAMPLES];

int main(void)
{
	for (unsigned i = 0; i < SIZE; i++)
		data[i] = (unsigned char)(i * 13 + 7);
	int fd = open("/tmp/fs_read_64k", O_CREAT | O_RDWR | O_TRUNC, 0644);
	if (fd < 0 || write(fd, data, SIZE) != SIZE)
		return 1;
	for (unsigned i = 0; i < WARMUP + SAMPLES; i++) {
		if (lseek(fd, 0, SEEK_SET) != 0)
			return 2;
		uint64_t t0 = stamp();
		long n = read(fd, buf, SIZE);
		uint64_t t1 = stamp();
		if (n != SIZE || memcmp(buf, data, SIZE) != 0)
			return 3;
		if (i >= WARMUP)
			samples[i - WARMUP] = t1 - t0;
	}
	close(fd);
	unlink("/tmp/fs_read_64k");
	int out = open("/tmp/fs_read_64k.samples", O_CREAT | O_WRONLY | O_TRUNC, 0644);
	if (out < 0 || write(out, samples, sizeof(samples)) != (long)sizeof(samples))
		return 4;
	return close(out) ? 5 : 0;
}
