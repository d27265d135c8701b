/* The protocol fuzzer's root task (make fuzz-services ITER=N SEED=S; boot
 * argument "N S"). One thread of it serves the user-level protocols (the
 * log server so far); an unprivileged client task, which holds only
 * capabilities to the served objects and the Vcon, sends ITER random and
 * mutated requests (client.c). Then the root checks that the server is
 * alive and answers correctly and that its resources (open objects, its
 * selectors) are back where they started. The last line says
 * "fuzz-services: N requests, M server failures".
 * Partial: only the log protocol is served and fuzzed so far; the memory
 * services' objects join as rows of client.c's table and targets here. */
#include <boot_env.h>
#include <console.h>
#include <log/log_srv.h>
#include <mica/layout.h>
#include <mica_image.h>
#include <mica_log.h>
#include <mica_obj.h>
#include <stdlib.h>
#include <string.h>

#include "svcfuzz.h"

#define NSLOTS LOGSRV_SLOTS
#define NSELS 128
#define STACK 16384
#define CLIENT_UTCB 0x7fff00000000ul
#define CLIENT_UTCB_LOG2 12

struct svcfuzz_shared sf;

static struct mica_srv srv;
static struct mica_srv_obj *slots[NSLOTS];
static uint32_t gens[NSLOTS];
static uint64_t sel_map[NSELS / 64];
static struct logsrv ls;
static unsigned long lines;
static _Alignas(16) uint8_t stacks[2][STACK];

/* Selectors in the root. */
enum { R_GATE = 0x100, R_SERVER, R_TASK, R_CLIENT, R_SELS = 0x200 };

/* The client's lines are counted, not printed: ITER random writes would
 * bury the console. */
static void count_line(void *ctx, const char *line, unsigned n)
{
	(void)ctx;
	(void)line;
	(void)n;
	lines++;
}

static void serve(long unused)
{
	(void)unused;
	int e = mica_srv_loop(&srv);
	printf("fuzz-services: the server loop ended: error %d\n", e);
	for (;;)
		mica_wait(0, MICA_TIMEOUT_NEVER, 0);
}

static unsigned sels_in_use(void)
{
	unsigned n = 0;
	for (unsigned i = 0; i < NSELS; i++)
		n += (sel_map[i / 64] >> (i % 64)) & 1;
	return n;
}

static int thread(mica_cap_t sel, mica_cap_t task, mica_word_t utcb, void (*fn)(long), unsigned n)
{
	int e = mica_create_thread(MICA_CAP_FACTORY, sel);
	if (e == MICA_OK)
		e = mica_thread_control(sel, MICA_THREAD_CTL_BIND, task, utcb, 0, 0);
	if (e == MICA_OK)
		e = mica_thread_start(sel, (mica_word_t)fn, (mica_word_t)&stacks[n][STACK] - 8, 0);
	return e;
}

/* Gives the client a capability to o with rights, as target i. */
static int target(struct mica_srv_obj *o, unsigned rights, enum target_kind kind)
{
	mica_cap_t c;
	int e = mica_srv_cap(&srv, o, rights, &c);
	struct target *t = &sf.targets[sf.ntargets];
	t->kind = kind;
	t->sel = CL_TARGET + sf.ntargets;
	if (e == MICA_OK)
		e = mica_cap_copy(R_TASK, c, t->sel, MICA_RIGHTS_ALL, 0);
	sf.ntargets++;
	return e;
}

/* The served objects of every protocol, each with a few rights. */
static int serve_objects(struct logsrv_log **mine)
{
	int e = logsrv_init(&ls, &srv, count_line, 0);
	if (e == MICA_OK)
		e = logsrv_open(&ls, "root", 4, 0, mine);
	if (e == MICA_OK)
		e = target(&ls.factory, MICA_LOG_R_WRITE, T_LOG_FACTORY);
	if (e == MICA_OK)
		e = target(&ls.factory, MICA_SRV_R_READ, T_LOG_FACTORY);
	/* No CONTROL: the root's own log stays open. */
	if (e == MICA_OK)
		e = target(&(*mine)->o, MICA_LOG_R_WRITE, T_LOG);
	if (e == MICA_OK)
		e = target(&(*mine)->o, MICA_SRV_R_READ, T_LOG);
	return e;
}

/* The server still answers as the protocol says. */
static int answers(struct logsrv_log *mine)
{
	mica_cap_t c;
	if (mica_srv_cap(&srv, &mine->o, MICA_LOG_R_WRITE, &c) != MICA_OK)
		return 0;
	/* The client may have left a partial or cut line: ended first. */
	if (mica_error(mica_call(c, MICA_LOG_FLUSH, 0)) != MICA_OK)
		return 0;
	unsigned long before = lines;
	mica_mr()[0] = 3;
	memcpy(&mica_mr()[1], "ok\n", 3);
	mica_msgtag_t t = mica_call(c, MICA_LOG_WRITE, 2);
	if (mica_error(t) != MICA_OK || mica_mr()[0] != 3)
		return 0;
	mica_mr()[0] = 9;
	if (mica_error(mica_call(c, MICA_LOG_WRITE, 1)) != MICA_E_BAD_ARG)
		return 0;
	return mica_error(mica_call(c, 77, 0)) == MICA_E_UNKNOWN_OP && lines == before + 1;
}

int main(void)
{
	char *end;
	sf.iterations = strtoul(boot_args(), &end, 0);
	sf.seed = strtoul(end, 0, 0);
	if (!sf.iterations)
		sf.iterations = 5000;
	printf("fuzz-services: %lu requests, seed %lu\n", sf.iterations, sf.seed);
	mica_touch_image();
	unsigned long failures = 0;
	struct logsrv_log *mine = 0;
	int e = mica_create_thread(MICA_CAP_FACTORY, R_SERVER);
	if (e == MICA_OK)
		e = mica_create_gate(MICA_CAP_FACTORY, R_GATE, R_SERVER, 0);
	mica_srv_init(&srv, R_GATE, slots, gens, NSLOTS, R_SELS, sel_map, NSELS);
	if (e == MICA_OK)
		e = mica_create_task(MICA_CAP_FACTORY, R_TASK, CLIENT_UTCB, CLIENT_UTCB_LOG2);
	if (e == MICA_OK)
		e = mica_share_image(R_TASK);
	if (e == MICA_OK)
		e = mica_cap_copy(R_TASK, MICA_CAP_VCON, MICA_CAP_VCON, MICA_RIGHTS_ALL, 0);
	if (e == MICA_OK)
		e = serve_objects(&mine);
	unsigned open0 = logsrv_open_count(&ls), sels0 = sels_in_use();
	if (e == MICA_OK)
		e = mica_thread_control(R_SERVER, MICA_THREAD_CTL_BIND, MICA_CAP_TASK,
					MICA_BOOT_UTCB_ADDR + MICA_UTCB_SIZE, 0, 0);
	if (e == MICA_OK)
		e = mica_thread_start(R_SERVER, (mica_word_t)serve, (mica_word_t)&stacks[0][STACK] - 8, 0);
	if (e == MICA_OK)
		e = thread(R_CLIENT, R_TASK, CLIENT_UTCB, svcfuzz_client, 1);
	if (e != MICA_OK) {
		printf("fuzz-services: cannot build the environment: error %d\n", e);
		printf("fuzz-services: 0 requests, 1 server failures\n");
		return 1;
	}
	unsigned long last = 0, stalls = 0;
	while (!sf.done && stalls < 1000) {
		mica_thread_yield(MICA_CAP_THREAD);
		stalls = sf.sent == last ? stalls + 1 : 0;
		last = sf.sent;
	}
	if (!sf.done) {
		printf("fuzz-services: the client made no progress after %lu requests (seed %lu)\n", sf.sent,
		       sf.seed);
		failures++;
	}
	mica_task_destroy(R_TASK);
	if (sf.client_failed) {
		printf("fuzz-services: the client could not end the objects it made\n");
		failures++;
	}
	if (!answers(mine)) {
		printf("fuzz-services: the log server no longer answers as its protocol says\n");
		failures++;
	}
	/* What the client made is closed; its capabilities to ours are
	 * still minted (the server keeps one per object and rights). */
	if (logsrv_open_count(&ls) != open0) {
		printf("fuzz-services: %u log objects open, %u before\n", logsrv_open_count(&ls), open0);
		failures++;
	}
	if (sels_in_use() != sels0) {
		printf("fuzz-services: the server uses %u selectors, %u before\n", sels_in_use(), sels0);
		failures++;
	}
	printf("fuzz-services: %lu answered without error, %lu lines logged\n", sf.answered_ok, lines);
	printf("fuzz-services: %lu requests, %lu server failures\n", sf.sent, failures);
	return 0;
}
