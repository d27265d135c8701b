/* The libc test program's checks (docs/apps.md, the libc test program): one file
 * per group, SUITE_GROUP(name) for its body and CHECK(name, cond) for
 * each named check, printed as `ok libc_<group>_<name>` or
 * `not ok libc_<group>_<name>: <file>:<line>`.
 *
 * The build greps every line that starts with `CHECK(name,` to make one
 * ktest case per check (user/tests/ktest/libc_suite_tests.c), so a CHECK
 * is written on one line, its name appears once per file and it runs
 * exactly once per run (never in a loop: compute in the loop, check
 * after). The group is the file's name; main runs the groups in name
 * order, one after the other, and sets the group CHECK reports under, so
 * a check made by a helper function or another thread of the group is
 * named right too. */
#pragma once

struct suite_group {
	const char *name;
	void (*fn)(void);
};

/* The check's outcome, printed whole in one write (threads may check at
 * the same time); returns cond, so a group can skip what depends on it. */
int suite_check(const char *name, int cond, const char *file, int line);

/* The body of this file's group: run once by main, groups in name order.
 * Usage: SUITE_GROUP(thread) { ... } */
#define SUITE_GROUP(g)                                                                                       \
	static void suite_group_##g(void);                                                                   \
	static const struct suite_group suite_group_entry_##g                                                \
		__attribute__((used, section("suite_groups"), aligned(8))) = { #g, suite_group_##g };        \
	static void suite_group_##g(void)

/* One named check; name is a bare identifier, without the group:
 * CHECK(create_join, r == 0) in thread.c is libc_thread_create_join. */
#define CHECK(name, cond) suite_check(#name, !!(cond), __FILE__, __LINE__)
