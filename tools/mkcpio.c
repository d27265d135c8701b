/* Writes a cpio archive in the "newc" format Linux unpacks as an
 * initramfs (Documentation/driver-api/early-userspace/buffer-format.rst)
 * to standard output, from entries on the command line:
 *   d:NAME:MODE  f:NAME:MODE:FILE  l:NAME:TARGET  c:NAME:MODE:MAJOR:MINOR
 * (MODE octal; owner root; every time 0, so the archive is reproducible). */
#define _DEFAULT_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static unsigned long ino = 1;

static void pad4(unsigned long n)
{
	while (n++ % 4)
		putchar(0);
}

static void entry(const char *name, unsigned long mode, const char *data, unsigned long size,
		  unsigned long rmaj, unsigned long rmin)
{
	unsigned long namesize = strlen(name) + 1;
	printf("070701%08lX%08lX%08lX%08lX%08lX%08lX%08lX%08lX%08lX%08lX%08lX%08lX%08lX", ino++, mode, 0ul,
	       0ul, 1ul, 0ul, size, 0ul, 0ul, rmaj, rmin, namesize, 0ul);
	fwrite(name, 1, namesize, stdout);
	pad4(110 + namesize);
	if (size) {
		fwrite(data, 1, size, stdout);
		pad4(size);
	}
}

static char *slurp(const char *path, unsigned long *size)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		perror(path);
		exit(1);
	}
	fseek(f, 0, SEEK_END);
	*size = (unsigned long)ftell(f);
	fseek(f, 0, SEEK_SET);
	char *b = malloc(*size ? *size : 1);
	if (!b || fread(b, 1, *size, f) != *size) {
		perror(path);
		exit(1);
	}
	fclose(f);
	return b;
}

int main(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		char *a = strdup(argv[i]);
		char *kind = strtok(a, ":"), *name = strtok(0, ":"), *f3 = strtok(0, ":"),
		     *f4 = strtok(0, ":"), *f5 = strtok(0, ":");
		if (!kind || !name || !f3) {
			fprintf(stderr, "mkcpio: bad entry %s\n", argv[i]);
			return 2;
		}
		unsigned long size;
		if (!strcmp(kind, "d")) {
			entry(name, S_IFDIR | strtoul(f3, 0, 8), 0, 0, 0, 0);
		} else if (!strcmp(kind, "f") && f4) {
			char *data = slurp(f4, &size);
			entry(name, S_IFREG | strtoul(f3, 0, 8), data, size, 0, 0);
			free(data);
		} else if (!strcmp(kind, "l")) {
			entry(name, S_IFLNK | 0777, f3, strlen(f3), 0, 0);
		} else if (!strcmp(kind, "c") && f4 && f5) {
			entry(name, S_IFCHR | strtoul(f3, 0, 8), 0, 0, strtoul(f4, 0, 0), strtoul(f5, 0, 0));
		} else {
			fprintf(stderr, "mkcpio: bad entry %s\n", argv[i]);
			return 2;
		}
		free(a);
	}
	entry("TRAILER!!!", 0, 0, 0, 0, 0);
	return 0;
}
