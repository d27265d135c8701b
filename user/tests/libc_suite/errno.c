/* The errno group: the error numbers musl and the back end report, and
 * errno left alone by calls that succeed. */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "suite.h"

SUITE_GROUP(errno)
{
	errno = 0;
	long big = strtol("99999999999999999999999", 0, 10);
	CHECK(strtol_overflow_erange, big == LONG_MAX && errno == ERANGE);
	errno = 1234;
	long ok = strtol("42", 0, 10);
	CHECK(success_leaves_errno, ok == 42 && errno == 1234);
	CHECK(strerror_enoent, strcmp(strerror(ENOENT), "No such file or directory") == 0);
}
