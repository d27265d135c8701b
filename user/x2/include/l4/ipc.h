/* L4 X.2 IPC: L4_Ipc and its convenience forms, with X.2 timeouts and
 * error codes (the personality carries them over Mica's gates,
 * docs/x2.md). */
#pragma once

#include <l4/message.h>
#include <l4/types.h>

/* The ErrorCode TCR after a failed IPC: bit 0 the phase (0 send, 1
 * receive), bits 3..1 the error. */
#define L4_ErrOk 0
#define L4_ErrTimeout 1
#define L4_ErrNonExist 2
#define L4_ErrCanceled 3
#define L4_ErrMsgOverflow 4
#define L4_ErrXferTimeoutInvoker 5
#define L4_ErrXferTimeoutPartner 6
#define L4_ErrAborted 7
#define L4_ErrRecvPhase 1

L4_INLINE L4_Word_t L4_ErrorCode(void)
{
	return *__L4_Tcr(__L4_UTCB_ERROR);
}

/* Propagation: the VirtualSender/ActualSender TCR. Before a send with the
 * propagate bit (L4_Set_Propagation), the thread the message goes on
 * behalf of: allowed if it is in the sender's space (else the bit is
 * dropped and the message is the sender's own). After receiving a
 * propagated message (L4_IpcPropagated), whose `from` is that thread,
 * the thread that actually sent it. */
void L4_Set_VirtualSender(L4_ThreadId_t t);
L4_ThreadId_t L4_VirtualSender(void);
L4_ThreadId_t L4_ActualSender(void);

/* The system call: a send phase to `to` (none if nilthread) and a receive
 * phase from `from_spec` (none if nilthread; anythread: any sender), with
 * the send timeout in bits 31..16 of timeouts and the receive timeout in
 * bits 15..0. Returns the result tag (MR0); *from the sender. */
L4_MsgTag_t L4_Ipc(L4_ThreadId_t to, L4_ThreadId_t from_spec, L4_Word_t timeouts, L4_ThreadId_t *from);
/* Local IPC is global IPC here (the same path and semantics). */
L4_INLINE L4_MsgTag_t L4_Lipc(L4_ThreadId_t to, L4_ThreadId_t from_spec, L4_Word_t timeouts,
			      L4_ThreadId_t *from)
{
	return L4_Ipc(to, from_spec, timeouts, from);
}

L4_INLINE L4_MsgTag_t L4_Call_Timeouts(L4_ThreadId_t to, L4_Time_t snd, L4_Time_t rcv)
{
	return L4_Ipc(to, to, L4_Timeouts(snd, rcv), (L4_ThreadId_t *)0);
}
L4_INLINE L4_MsgTag_t L4_Call(L4_ThreadId_t to)
{
	return L4_Call_Timeouts(to, L4_Never, L4_Never);
}
L4_INLINE L4_MsgTag_t L4_Send_Timeout(L4_ThreadId_t to, L4_Time_t snd)
{
	return L4_Ipc(to, L4_nilthread, L4_Timeouts(snd, L4_Never), (L4_ThreadId_t *)0);
}
L4_INLINE L4_MsgTag_t L4_Send(L4_ThreadId_t to)
{
	return L4_Send_Timeout(to, L4_Never);
}
L4_INLINE L4_MsgTag_t L4_Reply(L4_ThreadId_t to)
{
	return L4_Send_Timeout(to, L4_ZeroTime);
}
L4_INLINE L4_MsgTag_t L4_Receive_Timeout(L4_ThreadId_t from, L4_Time_t rcv)
{
	return L4_Ipc(L4_nilthread, from, L4_Timeouts(L4_Never, rcv), (L4_ThreadId_t *)0);
}
L4_INLINE L4_MsgTag_t L4_Receive(L4_ThreadId_t from)
{
	return L4_Receive_Timeout(from, L4_Never);
}
L4_INLINE L4_MsgTag_t L4_Wait_Timeout(L4_Time_t rcv, L4_ThreadId_t *from)
{
	return L4_Ipc(L4_nilthread, L4_anythread, L4_Timeouts(L4_Never, rcv), from);
}
L4_INLINE L4_MsgTag_t L4_Wait(L4_ThreadId_t *from)
{
	return L4_Wait_Timeout(L4_Never, from);
}
L4_INLINE L4_MsgTag_t L4_ReplyWait_Timeout(L4_ThreadId_t to, L4_Time_t rcv, L4_ThreadId_t *from)
{
	return L4_Ipc(to, L4_anythread, L4_Timeouts(L4_ZeroTime, rcv), from);
}
L4_INLINE L4_MsgTag_t L4_ReplyWait(L4_ThreadId_t to, L4_ThreadId_t *from)
{
	return L4_ReplyWait_Timeout(to, L4_Never, from);
}
L4_INLINE L4_MsgTag_t L4_Lcall(L4_ThreadId_t to)
{
	return L4_Call(to);
}
L4_INLINE L4_MsgTag_t L4_Lreply_Wait(L4_ThreadId_t to, L4_ThreadId_t *from)
{
	return L4_ReplyWait(to, from);
}

/* The labels of the kernel's protocol messages, as X.2 numbers them
 * (negative values in the top bits of the 48-bit label). */
#define L4_LABEL_MASK ((1ul << 48) - 1)
#define L4_PAGEFAULT_LABEL ((((L4_Word_t)-2) << 4) & L4_LABEL_MASK) /* | rwx */
#define L4_INTERRUPT_LABEL ((((L4_Word_t)-1) << 4) & L4_LABEL_MASK)
#define L4_EXCEPTION_LABEL ((((L4_Word_t)-5) << 4) & L4_LABEL_MASK)
#define L4_SIGMA0_LABEL ((((L4_Word_t)-6) << 4) & L4_LABEL_MASK)
L4_INLINE L4_Bool_t L4_IsPagefault(L4_MsgTag_t t)
{
	return (L4_Label(t) & ~0xful) == L4_PAGEFAULT_LABEL;
}
