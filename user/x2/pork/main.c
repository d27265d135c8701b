/* pork: an X.2 root server in the style of the lecture's demo, written
 * only against the X.2 headers. It prints a summary of the KIP, spawns a
 * ping and a pong thread, each in its own address space, which exchange
 * a few messages, and then listens to the keyboard on IRQ 1 with the X.2
 * interrupt protocol: every interrupt is a message from the interrupt's
 * thread id, and the call back to that id unmasks the line and waits for
 * the next one. Argument: end after that many scancodes (none: never). */
#include <l4/interrupt.h>
#include <l4/ipc.h>
#include <l4/kip.h>
#include <l4/message.h>
#include <l4/schedule.h>
#include <l4/space.h>
#include <l4/thread.h>
#include <l4/types.h>
#include <l4io.h>

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
