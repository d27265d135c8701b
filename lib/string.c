/* The string and memory functions of the freestanding environments. */
#include <stdint.h>
#include <string.h>

void *memcpy(void *restrict dst, const void *restrict src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;
	/* Whole words when both are aligned alike (pages, page tables). */
	if ((((uintptr_t)d ^ (uintptr_t)s) & 7) == 0) {
		while (n && ((uintptr_t)d & 7)) {
			*d++ = *s++;
			n--;
		}
		/* rep movsq: one instruction per word under -icount (the
		 * benchmarks' count) and the fastest bulk copy on real CPUs;
		 * a C loop costs five instructions a word. */
		size_t words = n / 8;
		__asm__ volatile("rep movsq" : "+D"(d), "+S"(s), "+c"(words) : : "memory");
		n &= 7;
	}
	while (n--)
		*d++ = *s++;
	return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;
	if (d < s) {
		while (n--)
			*d++ = *s++;
	} else {
		while (n--)
			d[n] = s[n];
	}
	return dst;
}

void *memset(void *dst, int c, size_t n)
{
	unsigned char *d = dst;
	/* Whole aligned words in the middle: pages are zeroed with this, and
	 * a byte loop costs four instructions a byte. */
	while (n && ((uintptr_t)d & 7)) {
		*d++ = (unsigned char)c;
		n--;
	}
	/* rep stosq, as memcpy's rep movsq: a zeroed page is 512
	 * instructions instead of 2,600 (every kernel object and page
	 * table is one). */
	uint64_t w = (unsigned char)c * 0x0101010101010101ul;
	size_t words = n / 8;
	__asm__ volatile("rep stosq" : "+D"(d), "+c"(words) : "a"(w) : "memory");
	n &= 7;
	while (n--)
		*d++ = (unsigned char)c;
	return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;
	for (; n; n--, x++, y++)
		if (*x != *y)
			return *x - *y;
	return 0;
}

size_t strlen(const char *s)
{
	size_t n = 0;
	while (s[n])
		n++;
	return n;
}

size_t strnlen(const char *s, size_t max)
{
	size_t n = 0;
	while (n < max && s[n])
		n++;
	return n;
}

int strcmp(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return (unsigned char)*a - (unsigned char)*b;
}

int strncmp(const char *a, const char *b, size_t n)
{
	for (; n; n--, a++, b++) {
		if (*a != *b)
			return (unsigned char)*a - (unsigned char)*b;
		if (!*a)
			return 0;
	}
	return 0;
}
