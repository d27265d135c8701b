/* x2hello: a small X.2 program built as a binary of its own, which an
 * X.2 root server loads from a boot module into a space of its own
 * (<x2_load.h>). It greets, then calls the root server (the first user
 * thread, X.2's convention) with what shows that it runs its own image:
 * its id, the address and value of a global of its data, the first code
 * word of its main, and a sum over a bss buffer it fills (its pages come
 * from its pager), and prints the answer. X.2 headers only. */
#include <l4/ipc.h>
#include <l4/kip.h>
#include <l4/message.h>
#include <l4/thread.h>
#include <l4/types.h>
#include <l4io.h>

#define HELLO_MAGIC 0x4e110c0de5ul
#define BUF_WORDS (48ul * 1024 / sizeof(L4_Word_t))

volatile L4_Word_t hello_marker = HELLO_MAGIC; /* data: this program's own copy */
static L4_Word_t buf[BUF_WORDS];	       /* bss: twelve pages of zeros */

int main(void)
{
	void *kip = L4_GetKernelInterface();
	L4_ThreadId_t root = L4_GlobalId(L4_ThreadIdUserBase(kip) + 2, 1);
	L4_ThreadId_t me = L4_Myself();
	printf("x2hello: thread 0x%lx in a space of its own, root server 0x%lx\n", me.raw, root.raw);
	L4_Word_t sum = 0;
	for (L4_Word_t i = 0; i < BUF_WORDS; i++)
		buf[i] = i;
	for (L4_Word_t i = 0; i < BUF_WORDS; i++)
		sum += buf[i];
	hello_marker++; /* its own writable copy */
	L4_Msg_t m;
	L4_MsgClear(&m);
	L4_MsgAppendWord(&m, me.raw);
	L4_MsgAppendWord(&m, (L4_Word_t)&hello_marker);
	L4_MsgAppendWord(&m, hello_marker);
	L4_MsgAppendWord(&m, *(volatile L4_Word_t *)(L4_Word_t)main);
	L4_MsgAppendWord(&m, (L4_Word_t)main);
	L4_MsgAppendWord(&m, sum);
	L4_MsgLoad(&m);
	L4_MsgTag_t tag = L4_Call(root);
	L4_Word_t answer = 0;
	L4_StoreMR(1, &answer);
	if (L4_IpcFailed(tag)) {
		printf("x2hello: call failed, error 0x%lx\n", L4_ErrorCode());
		return 1;
	}
	printf("x2hello: the root server answered 0x%lx\n", answer);
	/* Again, to show the answer went to this thread and back. */
	L4_LoadMR(0, 1);
	L4_LoadMR(1, answer + 1);
	tag = L4_Call(root);
	printf("x2hello: done (%s)\n", L4_IpcSucceeded(tag) ? "ok" : "failed");
	return 0;
}
