/* The start of an X.2 program on Mica: linked with --wrap=main, its
 * main() runs after the personality took over the program's initial
 * capabilities, so the program's source stays X.2-only. */
#include <console.h>
#include <mica/caps.h>
#include <mica/env.h>
#include <mica/layout.h>
#include <mica_env.h>
#include <mica_obj.h>
#include <mica_sys.h>

#include <x2_mica.h>

#include "x2_priv.h"

/* The linker's names for --wrap=main. */
int __real_main(int argc, char **argv, char **envp); // NOLINT(bugprone-reserved-identifier): ld --wrap
int __wrap_main(int argc, char **argv, char **envp); // NOLINT(bugprone-reserved-identifier): ld --wrap

int __wrap_main(int argc, char **argv, char **envp) // NOLINT(bugprone-reserved-identifier): ld --wrap
{
	/* A program an X.2 root server loaded into a space of its own
	 * (<x2_load.h>) joins that server's personality; main returning
	 * ends its thread, as any X.2 thread's function. */
	if (x2_join() == MICA_OK) {
		__real_main(argc, argv, envp);
		x2_thread_returned();
	}
	mica_word_t info[5] = { 100 };
	mica_sched_info(MICA_CAP_SCHEDULER, info);
	/* A loaded program's UTCB area is one page (four UTCBs, docs/abi.md
	 * §12); the server takes the last. */
	struct x2_config c = {
		.factory = MICA_CAP_FACTORY,
		.scheduler = MICA_CAP_SCHEDULER,
		.icu = mica_env_has(MICA_CAP_ICU) ? MICA_CAP_ICU : 0,
		.server_utcb = (mica_utcb()->self & ~0xffful) + 3 * MICA_UTCB_SIZE,
		.utcb_log2 = 12,
		.prio = (unsigned)info[0],
		/* New spaces' copies of the image from the program's memory. */
		.mem = mica_env_has(MICA_CAP_MEM) ? MICA_CAP_MEM : 0,
		.rm = MICA_CAP_RM,
	};
	int e = x2_setup(&c);
	if (e != MICA_OK) {
		printf("x2: the personality cannot start: error %d\n", e);
		return 1;
	}
	return __real_main(argc, argv, envp);
}
