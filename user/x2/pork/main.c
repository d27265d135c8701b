/* pork: an X.2 root server in the style of the lecture's demo, written
 * only against the X.2 headers. It prints a summary of the KIP, spawns a
 * ping and a pong thread, each in its own address space, which exchange
 * a few messages, and then listens to the keyboard on IRQ 1 with the X.2
 * interrupt protocol: every interrupt is a message from the interrupt's
 * thread id, and the call back to that id unmasks the line and waits for
 * the next one. Argument: end after that many scancodes (none: never).
 * Booted as the root task itself (sigma0 its pager), it first loads each
 * boot module after sigma0 and itself into a space of its own (X.2's boot
 * order; <x2_load.h>), pages it and answers its calls. */
#include <l4/bootinfo.h>
#include <l4/interrupt.h>
#include <l4/ipc.h>
#include <l4/kip.h>
#include <l4/message.h>
#include <l4/schedule.h>
#include <l4/space.h>
#include <l4/thread.h>
#include <l4/types.h>
#include <l4io.h>
#include <x2_load.h>

#define ROUNDS 5
#define STACK_WORDS 1024
#define KIP_AREA 0x7ffff0000000ul
#define UTCB_AREA 0x7fff00000000ul
#define KBD_DATA 0x60
#define KBD_STATUS 0x64

static L4_Word_t ping_stack[STACK_WORDS] __attribute__((aligned(16)));
static L4_Word_t pong_stack[STACK_WORDS] __attribute__((aligned(16)));
static L4_ThreadId_t ping, pong, root;

static void show_kip(void)
{
	L4_Word_t api, flags, id;
	void *kip = L4_KernelInterface(&api, &flags, &id);
	L4_Word_t conventional = 0, n = L4_NumMemoryDescriptors(kip);
	for (L4_Word_t i = 0; i < n; i++) {
		L4_MemoryDesc_t *d = L4_MemoryDesc(kip, i);
		if (L4_MemoryDescType(d) == L4_ConventionalMemoryType)
			conventional += L4_MemoryDescHigh(d) - L4_MemoryDescLow(d) + 1;
	}
	printf("KIP at %p: API version 0x%lx, kernel id 0x%lx\n", kip, api >> 24, id);
	printf("KIP: %s\n", L4_KernelVersionString(kip));
	printf("KIP: %lu processor(s), %lu kHz\n", L4_NumProcessors(kip), L4_ProcessorFrequency(kip, 0));
	printf("KIP: %lu memory descriptors, %lu KiB conventional memory\n", n, conventional >> 10);
	printf("KIP: page sizes 0x%lx, UTCB %lu bytes (aligned 2^%lu), KIP area 2^%lu\n",
	       L4_PageSizeMask(kip), L4_UtcbSize(kip), L4_UtcbAlignmentLog2(kip), L4_KipAreaSizeLog2(kip));
	printf("KIP: thread ids: system base %lu, user base %lu\n", L4_ThreadIdSystemBase(kip),
	       L4_ThreadIdUserBase(kip));
}

static void ping_thread(void)
{
	for (L4_Word_t i = 1; i <= ROUNDS; i++) {
		L4_LoadMR(0, 1);
		L4_LoadMR(1, i);
		L4_MsgTag_t tag = L4_Call(pong);
		L4_Word_t answer;
		L4_StoreMR(1, &answer);
		if (L4_IpcFailed(tag)) {
			printf("ping: call failed, error 0x%lx\n", L4_ErrorCode());
			break;
		}
		printf("ping: sent %lu, pong answered %lu\n", i, answer);
	}
	printf("ping: done\n");
	L4_LoadMR(0, 0);
	L4_Send(root);		  /* tells the root server, which waits for it */
	L4_Receive(L4_nilthread); /* nothing more to do */
}

static void pong_thread(void)
{
	L4_ThreadId_t from;
	L4_MsgTag_t tag = L4_Wait(&from);
	for (;;) {
		L4_Word_t w;
		L4_StoreMR(1, &w);
		if (L4_IpcFailed(tag) || !L4_IsThreadEqual(from, ping)) {
			tag = L4_Wait(&from);
			continue;
		}
		L4_LoadMR(0, 1);
		L4_LoadMR(1, w * 100);
		tag = L4_ReplyWait(from, &from);
	}
}

/* A thread in a new address space that starts at ip with sp. */
static int spawn(const char *name, L4_ThreadId_t tid, L4_Word_t ip, L4_Word_t sp)
{
	L4_Word_t old;
	if (!L4_ThreadControl(tid, tid, L4_Myself(), L4_nilthread, (void *)-1) ||
	    !L4_SpaceControl(tid, 0, L4_FpageLog2(KIP_AREA, (int)L4_KipAreaSizeLog2(L4_GetKernelInterface())),
			     L4_FpageLog2(UTCB_AREA, (int)L4_UtcbAreaSizeLog2(L4_GetKernelInterface())),
			     L4_nilthread, &old) ||
	    !L4_ThreadControl(tid, tid, L4_Myself(), L4_Pager(), (void *)UTCB_AREA)) {
		printf("%s: cannot create: error %lu\n", name, L4_ErrorCode());
		return 0;
	}
	L4_Start_SpIp(tid, sp, ip);
	printf("%s: thread 0x%lx started\n", name, tid.raw);
	return 1;
}

/* Serves a loaded program's page faults; returns its first other
 * message (or a failure: nothing for `wait` µs). */
static L4_MsgTag_t serve(x2_program_t *p, L4_Word_t wait)
{
	for (;;) {
		L4_MsgTag_t tag = L4_Receive_Timeout(p->thread, L4_TimePeriod(wait));
		if (L4_IpcFailed(tag) || !L4_IsPagefault(tag))
			return tag;
		if (x2_load_pagefault(p, tag) != X2_LOAD_OK) {
			L4_Word_t addr;
			L4_StoreMR(1, &addr);
			printf("load: a fault at 0x%lx outside the program\n", addr);
			return L4_Niltag;
		}
		L4_Reply(p->thread);
	}
}

static x2_program_t prog;

/* Each boot module after sigma0 and this root server, in a space of its
 * own, until it has called twice; each call is answered with its first
 * word plus one. */
static void load_modules(void)
{
	void *b = (void *)L4_BootInfo(L4_GetKernelInterface());
	if (!L4_BootInfo_Valid(b))
		return;
	L4_BootRec_t *r = L4_BootInfo_FirstEntry(b);
	for (L4_Word_t n = 0; n < L4_BootInfo_Entries(b); n++, r = L4_BootRec_Next(r)) {
		if (n < 2 || L4_BootRec_Type(r) != L4_BootInfo_Module)
			continue;
		L4_ThreadId_t t = L4_GlobalId(300 + n, 1);
		int e = x2_load_check(&prog, (void *)L4_Module_Start(r), L4_Module_Size(r));
		if (e == X2_LOAD_OK)
			e = x2_load_start(&prog, t, L4_Myself(), L4_FpageLog2(KIP_AREA, 13),
					  L4_FpageLog2(UTCB_AREA, 12));
		if (e != X2_LOAD_OK) {
			printf("load: %s: %s (%s)\n", L4_Module_Cmdline(r), x2_load_error_string(e),
			       prog.why);
			continue;
		}
		printf("load: %s: thread 0x%lx, entry 0x%lx\n", L4_Module_Cmdline(r), t.raw, prog.entry);
		for (int call = 0; call < 2; call++) {
			L4_MsgTag_t tag = serve(&prog, 1000000);
			if (L4_IpcFailed(tag) || L4_UntypedWords(tag) == 0)
				break;
			L4_Word_t w;
			L4_StoreMR(1, &w);
			printf("load: call %d from 0x%lx: %lu words, first 0x%lx\n", call + 1, t.raw,
			       L4_UntypedWords(tag), w);
			L4_LoadMR(0, 1);
			L4_LoadMR(1, w + 1);
			L4_Reply(t);
		}
		serve(&prog, 100000); /* its last lines */
		printf("load: %s: %lu page faults served\n", L4_Module_Cmdline(r), prog.faults);
		x2_load_end(&prog);
	}
}

static inline unsigned char inb(unsigned short port)
{
	unsigned char v;
	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

int main(int argc, char **argv)
{
	long keys = -1;
	if (argc > 1) {
		keys = 0;
		for (const char *p = argv[1]; *p >= '0' && *p <= '9'; p++)
			keys = keys * 10 + (*p - '0');
	}
	printf("This is a root server!\n");
	show_kip();

	root = L4_Myself();
	ping = L4_GlobalId(100, 1);
	pong = L4_GlobalId(200, 1);
	if (!spawn("pong", pong, (L4_Word_t)pong_thread, (L4_Word_t)&pong_stack[STACK_WORDS]) ||
	    !spawn("ping", ping, (L4_Word_t)ping_thread, (L4_Word_t)&ping_stack[STACK_WORDS]))
		return 1;

	/* Ping and pong first, so their lines come before the keyboard's. */
	L4_Receive(ping);
	load_modules();

	L4_ThreadId_t key = L4_GlobalId(1, 1); /* the keyboard, IRQ 1 */
	L4_ThreadId_t me = L4_MyGlobalId();
	printf("keyboard id = 0x%lx, my id = 0x%lx\n", key.raw, me.raw);
	L4_Word_t ok = L4_AssociateInterrupt(key, me);
	printf("associate produces %lu\n", ok);
	if (!ok)
		return 1;

	L4_MsgTag_t tag = L4_Receive(key);
	while (keys != 0) {
		if (L4_IpcSucceeded(tag) && L4_UntypedWords(tag) == 0 && L4_TypedWords(tag) == 0) {
			while (inb(KBD_STATUS) & 1) {
				printf("key: scancode 0x%02x (interrupt from 0x%lx, label 0x%lx)\n",
				       inb(KBD_DATA), key.raw, L4_Label(tag));
				if (keys > 0)
					keys--;
			}
			if (keys == 0)
				break;
			L4_LoadMR(0, 0); /* an empty message to the interrupt thread: unmask */
			tag = L4_Call(key);
		} else {
			printf("ignoring message/failure 0x%lx, trying again\n", L4_ErrorCode());
			tag = L4_Receive(key);
		}
	}
	L4_DeassociateInterrupt(key);
	L4_ThreadControl(ping, L4_nilthread, L4_nilthread, L4_nilthread, (void *)-1);
	L4_ThreadControl(pong, L4_nilthread, L4_nilthread, L4_nilthread, (void *)-1);
	printf("pork: done\n");
	return 0;
}
