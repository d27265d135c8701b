/* The Vcon: the kernel console as an object (see mica/vcon.h). Output
 * goes straight to the console line; input arrives by interrupt into a
 * small buffer, from which READ takes it, blocking with a timeout. A
 * user-level driver that binds the input line takes the input over. */
#include <mica/vcon.h>

#include "arch/console.h"
#include "arch/irq_lines.h"
#include "debug/kdb.h"
#include "objects/invoke.h"
#include "ipc/ipc.h"
#include "objects/icu.h"
#include "klib/kprintf.h"
#include "sched/sched.h"
#include "objects/thread.h"
#include "sched/timeout.h"
#include "objects/vcon.h"

#define INPUT_SIZE 256 /* bytes buffered; more are dropped until read */

static struct {
	struct kobj hdr;
	mica_word_t iflags, oflags;
	uint8_t in[INPUT_SIZE];
	unsigned head, count;
	struct thread *readers, *readers_tail; /* blocked in READ, FIFO */
	bool input;			       /* the kernel reads the console's input line */
	bool user_driver;		       /* the input line is bound to an IRQ object */
} vcon;

struct kobj *vcon_object(void)
{
	if (!vcon.hdr.type) {
		kobj_init_permanent(&vcon.hdr, MICA_OBJ_VCON);
		vcon.iflags = MICA_VCON_ICRNL;
		vcon.oflags = MICA_VCON_ONLCR;
	}
	return &vcon.hdr;
}

void vcon_write(const char *s, unsigned n)
{
	kputs_raw(s, n, vcon.oflags & MICA_VCON_ONLCR);
}

void vcon_get_attr(mica_word_t *iflags, mica_word_t *oflags)
{
	*iflags = vcon.iflags;
	*oflags = vcon.oflags;
}

void vcon_set_attr(mica_word_t iflags, mica_word_t oflags)
{
	vcon.iflags = iflags;
	vcon.oflags = oflags;
}

/* Moves up to max buffered bytes into t's MR1.. and sets its result:
 * MR0 = the count. */
static mica_msgtag_t take_input(struct thread *t, mica_word_t max)
{
	unsigned n = vcon.count < max ? vcon.count : (unsigned)max;
	mica_word_t words[MICA_UTCB_MRS] = { 0 };
	uint8_t *bytes = (uint8_t *)words;
	for (unsigned i = 0; i < n; i++) {
		uint8_t c = vcon.in[(vcon.head + i) % INPUT_SIZE];
		bytes[i] = (c == '\r' && (vcon.iflags & MICA_VCON_ICRNL)) ? '\n' : c;
	}
	vcon.head = (vcon.head + n) % INPUT_SIZE;
	vcon.count -= n;
	volatile mica_word_t *mr = t->utcb->mr;
	mr[0] = n;
	for (unsigned i = 0; i < (n + 7) / 8; i++)
		mr[1 + i] = words[i];
	return invoke_ok(t, 1 + (n + 7) / 8);
}

/* A blocked reader's count, read again from its MR0 (its own thread may
 * have changed it meanwhile: only that thread's result can suffer). */
static mica_word_t reader_max(const struct thread *t)
{
	mica_word_t max = t->utcb->mr[0];
	return max < 1 ? 1 : max > MICA_VCON_READ_MAX ? MICA_VCON_READ_MAX : max;
}

void vcon_reader_gone(struct thread *t)
{
	if (t->q_prev)
		t->q_prev->q_next = t->q_next;
	else
		vcon.readers = t->q_next;
	if (t->q_next)
		t->q_next->q_prev = t->q_prev;
	else
		vcon.readers_tail = t->q_prev;
	t->q_next = t->q_prev = 0;
}

static void serve_readers(void)
{
	struct thread *t;
	while (vcon.count && (t = vcon.readers)) {
		vcon_reader_gone(t);
		timeout_disarm(t);
		t->wait = WAIT_NONE;
		ipc_result(t, take_input(t, reader_max(t)), 0);
		sched_ready(t);
	}
}

static void input_fired(void)
{
	int c;
	while ((c = arch_console_getc()) >= 0)
		if (!kdb_console_input(c) && vcon.count < INPUT_SIZE)
			vcon.in[(vcon.head + vcon.count++) % INPUT_SIZE] = (uint8_t)c;
	serve_readers();
}

/* A driver bound the line (the readers learn at once that nothing will
 * come), or unbound it (the kernel reads it again). */
static void input_user(bool taken)
{
	vcon.user_driver = taken;
	if (!taken) {
		arch_console_input_interrupts(true);
		return;
	}
	while (vcon.readers)
		ipc_abort(vcon.readers, MICA_E_BUSY);
}

static struct icu_kernel_line input_line = { .fired = input_fired, .user = input_user };

void vcon_input_init(void)
{
	int isa = arch_console_input_irq();
	if (isa < 0)
		return;
	arch_irq_isa((unsigned)isa, &input_line.gsi, &input_line.mode);
	if (!icu_kernel_serve(&input_line))
		return;
	arch_console_input_interrupts(true);
	vcon.input = true;
}

bool vcon_readers_waiting(void)
{
	return vcon.readers != 0;
}

bool vcon_input_ours(void)
{
	return vcon.input && !vcon.user_driver;
}

mica_msgtag_t vcon_read(struct thread *caller, mica_word_t max, uint32_t timeout)
{
	if (vcon.count)
		return take_input(caller, max);
	uint64_t deadline = ipc_deadline(caller, timeout, 1);
	if (deadline == DEADLINE_NOW)
		return invoke_error(caller, MICA_E_TIMEOUT);
	caller->state = THREAD_BLOCKED;
	caller->wait = WAIT_VCON;
	caller->q_next = 0;
	caller->q_prev = vcon.readers_tail;
	if (vcon.readers_tail)
		vcon.readers_tail->q_next = caller;
	else
		vcon.readers = caller;
	vcon.readers_tail = caller;
	if (deadline != DEADLINE_NEVER)
		timeout_arm(caller, deadline);
	return invoke_ok(caller, 0); /* replaced when the read ends */
}
