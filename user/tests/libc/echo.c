/* Standard input on musl: reads lines with fgets from stdin (the Vcon,
 * through the back end's read of descriptor 0) and prints each with its
 * length; argument: how many lines (default 1). The QEMU case
 * musl_stdin_from_serial_line types them in on the serial line. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
	long want = argc > 1 ? strtol(argv[1], 0, 10) : 1;
	char line[128];
	printf("reading %ld line(s)\n", want);
	for (long n = 1; n <= want; n++) {
		if (!fgets(line, sizeof(line), stdin)) {
			printf("end of input after %ld line(s)\n", n - 1);
			return 1;
		}
		line[strcspn(line, "\n")] = 0;
		printf("line %ld: '%s' (%zu bytes)\n", n, line, strlen(line));
	}
	return 0;
}
