/* In-system cases of the X.2 personality's separation of spaces (user/x2,
 * docs/x2.md): a thread in a second X.2 space plays the hostile space. It
 * cannot write the thread table (read-only there: the write faults), what
 * it writes over the thread-id server's stack and the root's data is its
 * own copy, and it cannot send under another thread's id. */
#include <mica/layout.h>
#include <mica_sys.h>
#include <x2_mica.h>

#include "../../x2/x2_priv.h"
#include "x2_util.h"

#define NO_A 100
#define NO_C 300

static L4_ThreadId_t root;
/* The root's own data: a space's copy of it is the space's. */
static volatile L4_Word_t root_word = 0x600d;

/* Tries to move itself into the root server's space in the table. */
static void table_writer(void)
{
	int i = x2_find(L4_Myself().raw);
	x2_out[0] = i >= 0 ? x2_sys.t[i].space : ~0ul; /* readable */
	x2_out[1] = (L4_Word_t)&x2_sys.t[i].space;
	x2_done = 1;
	x2_sys.t[i].space = 0; /* faults: its pager (the root) hears of it */
	x2_out[2] = 1;
}

X2TEST(x2_space_cannot_write_table)
{
	L4_ThreadId_t t = x2_spawn_space_paged(NO_A, table_writer, L4_Myself());
	CHECK(!L4_IsNilThread(t));
	CHECK(x2_wait(&x2_done));
	int i = x2_find(t.raw);
	CHECK(i >= 0);
	CHECK(x2_out[0] != 0 && x2_out[0] == x2_sys.t[i].space);
	/* The write arrives at its X.2 pager as a write fault at that word. */
	L4_ThreadId_t from;
	L4_MsgTag_t tag = L4_Wait_Timeout(L4_TimePeriod(100000), &from);
	CHECK(L4_IpcSucceeded(tag));
	CHECK_EQ(from.raw, t.raw);
	CHECK_EQ(L4_Label(tag), L4_PAGEFAULT_LABEL | 2);
	L4_Word_t addr;
	L4_StoreMR(1, &addr);
	CHECK_EQ(addr, x2_out[1]);
	CHECK_EQ(x2_out[2], 0);
	CHECK(x2_sys.t[i].space != 0);
	/* The thread stays in its fault; deleting it ends that. */
	CHECK(L4_ThreadControl(t, L4_nilthread, L4_nilthread, L4_nilthread, (void *)-1));
}

static L4_ThreadId_t echo;

/* Overwrites the thread-id server's stack and the root's word, then needs
 * the server (first contact with echo) and checks what it reads back. */
static void stack_smasher(void)
{
	mica_word_t size;
	volatile unsigned char *s = x2_server_stack(&size);
	for (mica_word_t k = 0; k < size; k++)
		s[k] = 0x41;
	root_word = 0xbad;
	x2_out[0] = s[0] == 0x41 && s[size - 1] == 0x41 && root_word == 0xbad; /* its own copy */
	L4_LoadMR(0, 1);
	L4_LoadMR(1, 6);
	L4_MsgTag_t tag = L4_Call(echo);
	L4_Word_t w = 0;
	L4_StoreMR(1, &w);
	x2_out[1] = L4_IpcSucceeded(tag) ? w : ~0ul;
	x2_done = 1;
	L4_Receive(L4_nilthread);
}

X2TEST(x2_space_writes_own_copy_of_server_stack)
{
	echo = x2_spawn(NO_C, x2_echo_plus_one);
	CHECK(!L4_IsNilThread(echo));
	mica_word_t size;
	volatile unsigned char *s = x2_server_stack(&size);
	x2_spawn_space(NO_A, stack_smasher);
	CHECK(x2_wait(&x2_done));
	CHECK_EQ(x2_out[0], 1);
	/* The server made the pair after the smashing and answers still. */
	CHECK_EQ(x2_out[1], 7);
	unsigned smashed = 0;
	for (mica_word_t k = 0; k < size; k++)
		smashed += s[k] == 0x41;
	CHECK(smashed < size);
	CHECK_EQ(root_word, 0x600d);
}

/* Ways to send under the id of thread C (in the root's space). */
static void forger(void)
{
	mica_word_t *mr = mica_mr();
	L4_Word_t c = L4_GlobalId(NO_C, 1).raw, me = L4_Myself().raw;
	int ci = x2_find(c), ri = x2_find(root.raw), mi = x2_find(me);
	/* A pair C -> root: neither is ours, refused. */
	mr[0] = c;
	mr[1] = root.raw;
	x2_out[0] = x2_server_call(X2_OP_PAIR, 2);
	/* A pair C -> us: made, but the sending side is C's space's. */
	mr[0] = c;
	mr[1] = me;
	x2_out[1] = x2_server_call(X2_OP_PAIR, 2);
	mica_msgtag_t t =
		mica_ipc(X2_SEL_SEND(X2_PAIR((unsigned)ci, (unsigned)mi), 0), mica_msgtag(0, 0, 0, 0),
			 MICA_IPC_SEND, 0, MICA_TIMEOUTS(MICA_TIMEOUT_ZERO, 0), 0);
	x2_out[2] = (L4_Word_t)mica_error(t);
	t = mica_ipc(X2_SEL_SEND(X2_PAIR((unsigned)ci, (unsigned)ri), 1), mica_msgtag(0, 0, 0, 0),
		     MICA_IPC_SEND, 0, MICA_TIMEOUTS(MICA_TIMEOUT_ZERO, 0), 0);
	x2_out[3] = (L4_Word_t)mica_error(t);
	x2_done = 1;
	/* What the root then receives from us names us. */
	L4_LoadMR(0, 1);
	L4_LoadMR(1, 0xf0f0);
	L4_Send(root);
	L4_Receive(L4_nilthread);
}

X2TEST(x2_space_cannot_forge_from)
{
	root = L4_Myself();
	L4_ThreadId_t c = x2_spawn(NO_C, x2_echo_plus_one);
	CHECK(!L4_IsNilThread(c));
	L4_ThreadId_t f = x2_spawn_space(NO_A, forger);
	CHECK(x2_wait(&x2_done));
	CHECK_EQ(x2_out[0], L4_ErrNonExist);
	CHECK_EQ(x2_out[1], 0);
	CHECK_EQ(x2_out[2], MICA_E_INVALID_CAP);
	CHECK_EQ(x2_out[3], MICA_E_INVALID_CAP);
	L4_ThreadId_t from;
	L4_MsgTag_t tag = L4_Wait_Timeout(L4_TimePeriod(100000), &from);
	CHECK(L4_IpcSucceeded(tag));
	CHECK_EQ(from.raw, f.raw);
	L4_Word_t w;
	L4_StoreMR(1, &w);
	CHECK_EQ(w, 0xf0f0);
}

/* A space whose X.2 pager is sigma0 faults on what is not its own: the
 * server answers, the fault is an exception (no pager maps the root's
 * memory into it). */
static void root_reader(void)
{
	x2_done = 1;
	/* The root's KIP (this space has its own elsewhere). */
	x2_out[0] = *(volatile L4_Word_t *)(x2_sys.s[0].kip + 8);
	x2_out[1] = 1;
}

static void exc_catcher(void)
{
	L4_ThreadId_t from;
	L4_MsgTag_t tag = L4_Wait(&from);
	L4_Word_t addr = 0;
	L4_StoreMR(3, &addr);
	x2_out[2] = L4_Label(tag);
	x2_out[3] = addr;
	x2_done2 = 1;
	L4_Receive(L4_nilthread);
}

X2TEST(x2_space_fault_without_pager_is_exception)
{
	L4_ThreadId_t h = x2_spawn(NO_C, exc_catcher);
	L4_ThreadId_t t = L4_GlobalId(NO_A, 1);
	L4_Word_t old;
	CHECK(L4_ThreadControl(t, t, L4_Myself(), L4_nilthread, (void *)-1));
	CHECK(L4_SpaceControl(t, 0, L4_FpageLog2(X2_KIP_AREA, 13), L4_FpageLog2(X2_CHILD_UTCB, 14),
			      L4_nilthread, &old));
	CHECK(L4_ThreadControl(t, t, L4_Myself(), L4_Pager(), (void *)X2_CHILD_UTCB));
	/* The handler is set before the thread runs. */
	mica_word_t *mr = mica_mr();
	mr[0] = t.raw;
	mr[1] = h.raw;
	CHECK_EQ(x2_server_call(X2_OP_SET_EXC, 2), 0);
	L4_Start_SpIp(t, x2_stack_top(), (L4_Word_t)root_reader);
	CHECK(x2_wait(&x2_done2));
	CHECK_EQ(x2_out[1], 0);
	CHECK_EQ(x2_out[2], L4_EXCEPTION_LABEL);
	CHECK_EQ(x2_out[3], x2_sys.s[0].kip + 8); /* the fault address */
}
