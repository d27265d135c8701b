/* The thread protocol. The method is the tag's label. */
#pragma once

enum {
	/* Stop the invoked thread until it is resumed (exchange-registers in
	 * the capability issue). With nothing left to run, a test-mode
	 * kernel ends the QEMU run. */
	MICA_THREAD_HALT = 1,
};
