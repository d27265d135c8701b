/* Reads lines from the kernel console (Vcon READ) and prints each: the
 * end-to-end test of console input from the serial line. Argument: how
 * many lines (default 1). */
#include <console.h>
#include <mica_obj.h>
#include <mica_sys.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
	unsigned long want = argc > 1 ? strtoul(argv[1], 0, 0) : 1;
	char line[128];
	unsigned len = 0;
	printf("reading %lu line(s)\n", want);
	for (unsigned long lines = 0; lines < want;) {
		char buf[64];
		unsigned n;
		int e = mica_vcon_read(MICA_CAP_VCON, buf, sizeof(buf), MICA_TIMEOUT_NEVER, &n);
		if (e != MICA_OK) {
			printf("read failed: error %d\n", e);
			return 1;
		}
		for (unsigned i = 0; i < n && lines < want; i++) {
			if (buf[i] == '\n') {
				line[len] = 0;
				printf("line %lu: '%s' (%u bytes)\n", ++lines, line, len);
				len = 0;
			} else if (len < sizeof(line) - 1) {
				line[len++] = buf[i];
			}
		}
	}
	return 0;
}
