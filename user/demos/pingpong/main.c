/* A demo of IPC between two threads of one program: the second thread
 * serves a gate, the first calls it; each round trip increments a
 * counter. Arguments: the number of rounds (default 1000). The second
 * thread is placed through the scheduler its loader gave it (not with
 * the root task's grant +sched=none). */
#include <boot_env.h>
#include <console.h>
#include <mica/layout.h>
#include <mica/scheduler.h>
#include <mica/thread.h>
#include <mica_obj.h>
#include <mica_sys.h>
#include <stdlib.h>

#define PONG_THREAD 16
#define GATE 17

static char pong_stack[16384] __attribute__((aligned(16)));

static void pong(void)
{
	mica_word_t *mr = mica_mr();
	mica_wait(GATE, 0, 0);
	for (;;) {
		mr[0]++;
		mica_ipc(0, mica_msgtag(0, 1, 0, 0), MICA_IPC_REPLY_WAIT, GATE, 0, 0);
	}
}

int main(int argc, char **argv)
{
	unsigned long rounds = argc > 1 ? strtoul(argv[1], 0, 10) : 1000;
	int e;
	/* The second thread's UTCB follows the first's in the UTCB area. */
	if ((e = mica_create_thread(MICA_CAP_FACTORY, PONG_THREAD)) ||
	    (e = mica_create_gate(MICA_CAP_FACTORY, GATE, 0, 0)) ||
	    (e = mica_thread_control(PONG_THREAD, MICA_THREAD_CTL_BIND | MICA_THREAD_CTL_PAGER, MICA_CAP_TASK,
				     MICA_BOOT_UTCB_ADDR + 1024, MICA_CAP_PAGER, 0)) ||
	    (e = mica_sched_run_thread(MICA_CAP_SCHEDULER, PONG_THREAD, MICA_SCHED_DEFAULT_PRIO,
				       MICA_SCHED_DEFAULT_SLICE_NS, 0)) ||
	    (e = mica_thread_start(PONG_THREAD, (mica_word_t)pong,
				   (mica_word_t)&pong_stack[sizeof(pong_stack) - 8], 0))) {
		printf("cannot set up the second thread: error %d\n", e);
		return 2;
	}
	mica_word_t *mr = mica_mr();
	mr[0] = 0;
	for (unsigned long i = 0; i < rounds; i++) {
		mica_msgtag_t r = mica_call(GATE, 1, 1);
		if (mica_msgtag_is_error(r)) {
			printf("call %lu failed: error %d\n", i, mica_error(r));
			return 3;
		}
	}
	mica_word_t counter = mr[0];
	printf("%lu round trips, counter %lu\n", rounds, counter);
	return counter == rounds ? 0 : 4;
}
