/* The client/server pair of the boot scripts (conf/default.lua, the
 * init_ cases): both ends of a channel (an IPC gate) that init made and
 * handed out by name ("chan"), the server's with receive rights, the
 * clients' without.
 *   channel server N   answers N calls through "chan": MR0 = the label
 *                      of the capability the call came through (how it
 *                      tells clients apart), MR1 = the request's MR0 + 1;
 *                      a factory CREATE (type CHANNEL_PROTO_SESSION)
 *                      answers with a capability of its own label (a
 *                      per-client object, svc:create); exits 0.
 *   channel client K   calls "chan" K times and prints the labels; exits
 *                      0 if every call was answered and a receive on the
 *                      gate was refused (NO_RIGHTS), 2 if it could
 *                      receive, 3 if a call failed.
 *   channel nocap      exits 0 if it has no "chan" and the selector
 *                      after its named ones reaches nothing, else 1.
 *   channel lookup P   looks path P up from its environment
 *                      (mica_env_lookup): 0 if found, 1 + error if not.
 *   channel io PORT    reads the I/O port (a fault if it was not given).
 *   channel icu        0 if the ICU at MICA_CAP_ICU answers.
 *   channel irq NAME.. 0 if each NAME is an IRQ bound to a line that
 *                      reaches this thread when triggered; 1 if one is
 *                      absent, 2 if one does not work.
 *   channel cpu C      places a thread of its own on CPU C through its
 *                      scheduler: 0 if it may, 1 + error if not.
 *   channel delete N   MICA_OBJ_DELETE of the capability named N: 0 if
 *                      it went, 1 + error if not.
 *   channel cpus       exits with its scheduler's CPU set (bit c: CPU c;
 *                      0 if it has none). */
#include <console.h>
#include <mica/factory.h>
#include <mica/gate.h>
#include <mica_env.h>
#include <mica_ns.h>
#include <mica_obj.h>
#include <mica_sys.h>
#include <stdlib.h>
#include <string.h>

#define CHANNEL_PROTO_SESSION 0x7001

static int server(mica_cap_t chan, unsigned long n)
{
	mica_word_t label = 0, next = 0x100;
	mica_cap_t session = mica_env()->first_free;
	mica_msgtag_t tag = mica_wait(chan, MICA_TIMEOUT_NEVER, &label);
	for (unsigned long i = 0;; i++) {
		if (mica_msgtag_is_error(tag)) {
			printf("server: receive failed: error %d\n", (int)mica_error(tag));
			return 1;
		}
		mica_word_t *mr = mica_mr();
		mica_msgtag_t answer;
		if (mica_msgtag_label(tag) == MICA_FACTORY_CREATE && mica_msgtag_u(tag) >= 1 &&
		    mr[0] == CHANNEL_PROTO_SESSION) {
			/* A new object: a capability to our gate with a label of
			 * its own, which only we see on each call through it. */
			mica_cap_delete(MICA_CAP_TASK, session);
			int e = mica_cap_copy(MICA_CAP_TASK, chan, session,
					      MICA_GATE_R_SEND | MICA_GATE_R_MAP, next++);
			if (e != MICA_OK) {
				answer = mica_error_tag((enum mica_error)e);
			} else {
				mr[0] = mica_item_unit(0, MICA_ITEM_MAP);
				mr[1] = mica_fpage_obj(session, 0, MICA_GATE_R_SEND | MICA_GATE_R_MAP);
				answer = mica_msgtag(0, 0, 2, 0);
			}
		} else {
			mica_word_t in = mica_msgtag_u(tag) ? mr[0] : 0;
			mr[0] = label;
			mr[1] = in + 1;
			answer = mica_msgtag(0, 2, 0, 0);
		}
		if (i + 1 >= n) {
			mica_reply(answer);
			break;
		}
		tag = mica_ipc(0, answer, MICA_IPC_REPLY_WAIT, chan, MICA_TIMEOUTS(MICA_TIMEOUT_ZERO, 0),
			       &label);
	}
	printf("server: answered %lu calls\n", n);
	return 0;
}

static int client(mica_cap_t chan, unsigned long k)
{
	for (unsigned long i = 0; i < k; i++) {
		mica_mr()[0] = i;
		mica_msgtag_t t = mica_call(chan, 1, 1);
		if (mica_msgtag_is_error(t) || mica_mr()[1] != i + 1) {
			printf("client: call %lu failed: error %d\n", i, (int)mica_error(t));
			return 3;
		}
		printf("client: answered through label %lu\n", (unsigned long)mica_mr()[0]);
	}
	mica_msgtag_t w = mica_wait(chan, MICA_TIMEOUT_ZERO, 0);
	if (mica_error(w) != MICA_E_NO_RIGHTS) {
		printf("client: a receive on the channel was not refused: error %d\n", (int)mica_error(w));
		return 2;
	}
	printf("client: cannot receive on the channel\n");
	return 0;
}

static int irqs(int n, char **names)
{
	for (int i = 0; i < n; i++) {
		mica_cap_t irq = mica_env_cap(names[i]);
		mica_word_t info[4] = { 0 }, label = 0;
		if (!irq) {
			printf("irq: no capability named '%s'\n", names[i]);
			return 1;
		}
		int e = mica_irq_info(irq, info);
		if (e == MICA_OK && info[0] == MICA_IRQ_NO_LINE)
			e = MICA_E_BAD_ARG;
		if (e == MICA_OK)
			e = mica_irq_attach(irq, MICA_CAP_THREAD, 0x100 + (mica_word_t)i);
		if (e == MICA_OK)
			e = mica_irq_trigger(irq);
		if (e == MICA_OK)
			e = mica_error(mica_wait(MICA_CAP_INVALID, MICA_TIMEOUT_NEVER, &label));
		if (e == MICA_OK && label != 0x100 + (mica_word_t)i)
			e = MICA_E_BAD_ARG;
		printf("irq: %s: line %lu, error %d\n", names[i], (unsigned long)info[0], e);
		if (e != MICA_OK)
			return 2;
	}
	return 0;
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";
	unsigned long n = argc > 2 ? strtoul(argv[2], 0, 0) : 1;
	mica_cap_t chan = mica_env_cap("chan");
	if (strcmp(mode, "nocap") == 0) {
		mica_word_t type = 1, rights;
		const struct mica_env *env = mica_env();
		mica_cap_t probe = env ? (mica_cap_t)env->first_free : MICA_CAP_NAMED;
		mica_cap_info(MICA_CAP_TASK, probe, &type, &rights);
		int reached = !mica_msgtag_is_error(mica_call(probe, 1, 0));
		printf("nocap: chan %s, selector %lu %s\n", chan ? "given" : "absent", (unsigned long)probe,
		       reached ? "reaches an object" : "reaches nothing");
		return !chan && !reached && type == MICA_OBJ_NONE ? 0 : 1;
	}
	if (strcmp(mode, "lookup") == 0 && argc > 2) {
		mica_cap_t dst = mica_env() ? (mica_cap_t)mica_env()->first_free : MICA_CAP_NAMED;
		int e = mica_env_lookup(argv[2], dst);
		mica_word_t type = 0, rights = 0;
		mica_cap_info(MICA_CAP_TASK, dst, &type, &rights);
		printf("lookup: %s: error %d, object type %lu\n", argv[2], e, (unsigned long)type);
		return e == MICA_OK && type != MICA_OBJ_NONE ? 0 : 1 + e;
	}
	if (strcmp(mode, "io") == 0) {
		unsigned char v;
		unsigned short port = (unsigned short)n;
		__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
		printf("io: port 0x%lx reads 0x%x\n", n, v);
		return 0;
	}
	if (strcmp(mode, "icu") == 0) {
		mica_word_t lines = 0, isa = 0;
		int e = mica_icu_info(MICA_CAP_ICU, &lines, &isa);
		printf("icu: error %d, %lu lines\n", e, (unsigned long)lines);
		return e == MICA_OK ? 0 : 1;
	}
	if (strcmp(mode, "irq") == 0)
		return irqs(argc - 2, argv + 2);
	if (strcmp(mode, "delete") == 0 && argc > 2) {
		mica_cap_t c = mica_env_cap(argv[2]);
		int e = c ? (int)mica_error(mica_call(c, MICA_OBJ_DELETE, 0)) : (int)MICA_E_NOT_FOUND;
		printf("delete: %s: error %d\n", argv[2], e);
		return e == MICA_OK ? 0 : 1 + e;
	}
	if (strcmp(mode, "cpus") == 0) {
		mica_word_t cpus = 0;
		int e = mica_sched_cpus(MICA_CAP_SCHEDULER, &cpus);
		printf("cpus: error %d, set 0x%lx\n", e, (unsigned long)cpus);
		return e == MICA_OK ? (int)cpus : 0;
	}
	if (strcmp(mode, "cpu") == 0) {
		mica_cap_t t = mica_env()->first_free;
		int e = mica_create_thread(MICA_CAP_FACTORY, t);
		if (e == MICA_OK)
			e = mica_sched_run_thread(MICA_CAP_SCHEDULER, t, MICA_SCHED_DEFAULT_PRIO / 2,
						  MICA_SCHED_DEFAULT_SLICE_NS, (unsigned)n);
		printf("cpu: a thread on CPU %lu: error %d\n", n, e);
		return e == MICA_OK ? 0 : 1 + e;
	}
	if (!chan) {
		printf("channel: no capability named 'chan'\n");
		return 4;
	}
	if (strcmp(mode, "server") == 0)
		return server(chan, n);
	if (strcmp(mode, "client") == 0)
		return client(chan, n);
	printf("channel: usage: channel server N | client K | nocap\n");
	return 4;
}
