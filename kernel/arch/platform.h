/* Ending a run. In test mode the kernel leaves QEMU through its
 * isa-debug-exit device (I/O port 0xf4); QEMU exits with status
 * (code << 1) | 1, which tests/qemu and tools/qemu.sh decode. */
#pragma once

enum platform_exit {
	EXIT_PASS = 0x10,  /* QEMU status 33: a test program reported success */
	EXIT_FAIL = 0x11,  /* 35: a test program reported failure */
	EXIT_IDLE = 0x12,  /* 37: nothing left to run */
	EXIT_PANIC = 0x1d, /* 59: kernel panic */
};

/* Ends the QEMU run if the debug-exit device is there; returns otherwise. */
void arch_platform_exit(enum platform_exit code);
