/* The string group: <string.h> and <strings.h>, copying (overlapping
 * too), searching, comparing, tokens and duplicates. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "suite.h"

SUITE_GROUP(string)
{
	/* arrays, not literals: the comparisons run, not the compiler */
	char e0[] = "", mk[] = "microkernel", abc[] = "abc", abd[] = "abd", b[] = "b", same[] = "same",
	     hi[] = "\x80", lo[] = "\x01", mx[] = "mica-x", my[] = "mica-y", mc1[] = "MiCa", mc2[] = "mIcA";
	CHECK(strlen_counts, strlen(e0) == 0 && strlen(mk) == 11);
	CHECK(strcmp_orders, strcmp(abc, abd) < 0 && strcmp(b, abc) > 0 && strcmp(same, "same") == 0);
	CHECK(strcmp_unsigned_bytes, strcmp(hi, lo) > 0 && memcmp(hi, "\x7f", 1) > 0);
	CHECK(strncmp_stops, strncmp(mx, my, 5) == 0 && strncmp(mx, my, 6) < 0);
	CHECK(strcasecmp_ignores_case, strcasecmp(mc1, mc2) == 0 && strncasecmp("ABCx", abc, 3) == 0);

	char d[32];
	strcpy(d, "micro");
	strcat(d, "kernel"); // NOLINT(clang-analyzer-security.insecureAPI.strcpy): strcat is what is tested
	CHECK(strcpy_strcat, strcmp(d, "microkernel") == 0);
	char pad[8];
	memset(pad, 'x', sizeof(pad));
	strncpy(pad, "ab", sizeof(pad));
	CHECK(strncpy_pads_with_nul, pad[0] == 'a' && pad[1] == 'b' && pad[2] == 0 && pad[7] == 0);

	const char *s = "a/b/c.txt";
	CHECK(strchr_strrchr, strchr(s, '/') == s + 1 && strrchr(s, '/') == s + 3 && !strchr(s, 'z') &&
				      strchr(s, 0) == s + 9);
	CHECK(strstr_finds, strstr(s, "c.t") == s + 4 && !strstr(s, "cat") && strstr(s, "") == s);
	CHECK(strspn_strcspn, strspn("aabbcx", "abc") == 5 && strcspn("hello, world", ",") == 5);
	const char *kn = "kernel";
	CHECK(strpbrk_finds_first, strpbrk(kn, "nl") == kn + 3 && !strpbrk(kn, "xyz"));

	char t[] = " alpha, beta ,,gamma ";
	char *save = 0, *w1 = strtok_r(t, " ,", &save), *w2 = strtok_r(0, " ,", &save),
	     *w3 = strtok_r(0, " ,", &save), *w4 = strtok_r(0, " ,", &save);
	CHECK(strtok_r_splits,
	      w1 && w2 && w3 && !w4 && !strcmp(w1, "alpha") && !strcmp(w2, "beta") && !strcmp(w3, "gamma"));

	/* a large copy, then overlapping moves both ways */
	size_t big = 1u << 20;
	unsigned char *p = malloc(big + 64), *q = malloc(big);
	int copied = 0, moved_up = 0, moved_down = 0;
	if (p && q) {
		for (size_t i = 0; i < big; i++)
			p[i] = (unsigned char)(i * 131 + (i >> 11));
		memcpy(q, p, big);
		copied = memcmp(p, q, big) == 0;
		memmove(p + 17, p, big); /* up: must copy from the end */
		moved_up = 1;
		for (size_t i = 0; i < big; i++)
			moved_up &= p[i + 17] == q[i];
		memmove(p, p + 17, big); /* and back down */
		moved_down = memcmp(p, q, big) == 0;
	}
	free(p);
	free(q);
	CHECK(memcpy_one_mib, copied);
	CHECK(memmove_overlap_up, moved_up);
	CHECK(memmove_overlap_down, moved_down);

	unsigned char z[100];
	memset(z, 0xa5, sizeof(z));
	memset(z + 10, 0, 80);
	CHECK(memset_range,
	      z[9] == 0xa5 && z[10] == 0 && z[89] == 0 && z[90] == 0xa5 && memchr(z, 0, sizeof(z)) == z + 10);

	char *dup = strdup("duplicate"), *ndup = strndup("duplicate", 3);
	CHECK(strdup_strndup,
	      dup && ndup && !strcmp(dup, "duplicate") && !strcmp(ndup, "dup") && dup != (char *)"duplicate");
	free(dup);
	free(ndup);
	CHECK(strerror_names, !strcmp(strerror(0), "No error information") &&
				      !strcmp(strerror(ERANGE), "Result not representable"));
}
