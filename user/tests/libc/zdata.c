/* The zlib round trip's data (the zlib_ ktest cases): makes a file of
 * known bytes, checks that a file is that data gzip-compressed (header,
 * size, trailer), checks a file holds the data byte for byte, or flips
 * a byte of a file. Exit status 0 when it did or found what was asked.
 *   zdata make|gz|same|flip PATH */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SIZE ((size_t)256 * 1024) /* fits a program's 1 MiB of /tmp with its .gz */

/* Text lines (compressible) with a block of pseudo-random bytes every
 * 16th line (not), the same every time. */
static unsigned char *make_data(void)
{
	unsigned char *d = malloc(SIZE);
	uint32_t x = 2463534242u;
	size_t n = 0;
	for (unsigned line = 0; d && n < SIZE; line++) {
		char buf[96];
		int len = snprintf(buf, sizeof(buf), "record %06u: the quick brown fox jumps %u times\n",
				   line, line * 7919u % 1000u);
		for (int i = 0; i < len && n < SIZE; i++)
			d[n++] = (unsigned char)buf[i];
		for (int i = 0; line % 16 == 15 && i < 64 && n < SIZE; i++) {
			x ^= x << 13;
			x ^= x >> 17;
			x ^= x << 5;
			d[n++] = (unsigned char)x;
		}
	}
	return d;
}

/* The whole file at path (its size in *size), or 0. */
static unsigned char *slurp(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return 0;
	size_t cap = SIZE + 4096, n = 0;
	unsigned char *b = malloc(cap);
	for (size_t r; b && (r = fread(b + n, 1, cap - n, f)) > 0;) {
		n += r;
		if (n == cap) {
			unsigned char *bigger = realloc(b, cap *= 2);
			if (!bigger)
				free(b);
			b = bigger;
		}
	}
	fclose(f);
	*size = n;
	return b;
}

static uint32_t le32(const unsigned char *p)
{
	return p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		printf("usage: zdata make|gz|same|flip PATH\n");
		return 2;
	}
	const char *op = argv[1], *path = argv[2];
	unsigned char *d = make_data();
	size_t n = 0;
	if (!d)
		return 3;
	if (!strcmp(op, "make")) {
		FILE *f = fopen(path, "wb");
		if (!f || fwrite(d, 1, SIZE, f) != SIZE || fclose(f)) {
			printf("zdata: cannot write %s: %s\n", path, strerror(errno));
			return 1;
		}
		printf("zdata: wrote %zu bytes to %s\n", SIZE, path);
		return 0;
	}
	unsigned char *b = slurp(path, &n);
	if (!b) {
		printf("zdata: cannot read %s: %s\n", path, strerror(errno));
		return 1;
	}
	if (!strcmp(op, "gz")) {
		/* RFC 1952: magic 1f 8b, method 8 (deflate); the trailer's
		 * last word is the uncompressed size. */
		int ok = n > 18 && b[0] == 0x1f && b[1] == 0x8b && b[2] == 8 && le32(b + n - 4) == SIZE &&
			 n < SIZE / 2;
		printf("zdata: %s is %sgzip of the data, %zu bytes\n", path, ok ? "" : "NOT ", n);
		return !ok;
	}
	if (!strcmp(op, "same")) {
		size_t first = 0;
		while (first < n && first < SIZE && b[first] == d[first])
			first++;
		int ok = n == SIZE && first == SIZE;
		if (ok)
			printf("zdata: %s matches byte for byte (%zu bytes)\n", path, n);
		else
			printf("zdata: %s differs at byte %zu (%zu bytes)\n", path, first, n);
		return !ok;
	}
	if (!strcmp(op, "flip") && n > 8) {
		/* A byte of the CRC-32 in the trailer: the data inflates, the
		 * check must fail. */
		b[n - 8] ^= 0x55;
		FILE *f = fopen(path, "wb");
		int ok = f && fwrite(b, 1, n, f) == n && !fclose(f);
		printf("zdata: flipped a byte of %s: %s\n", path, ok ? "ok" : strerror(errno));
		return !ok;
	}
	return 2;
}
