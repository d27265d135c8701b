/* Boot-time checks of the kernel's own failure paths, chosen on the
 * command line with selftest=NAME (used by the QEMU tests):
 *   panic   panic() with a message
 *   assert  a failing assert() (a debug-build check)
 *   fault   a kernel page fault (write to a read-only kernel page)
 */
#pragma once

void selftest_run(const char *cmdline);
