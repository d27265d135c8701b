/* X.2 thread and space calls of the personality: ThreadControl,
 * SpaceControl, ExchangeRegisters, Schedule and interrupt association go
 * to the thread-id server (which holds the capabilities); the rest reads
 * the thread table or invokes this space's own capabilities. */
#include <mica_obj.h>
#include <mica_sys.h>

#include <l4/interrupt.h>
#include <l4/ipc.h>
#include <l4/schedule.h>
#include <l4/space.h>
#include <l4/thread.h>

#include "x2_priv.h"

static struct x2_thread *self(void)
{
	return &x2_sys.t[(unsigned)mica_utcb()->user[X2_TCR_INDEX]];
}

/* A server call with the X.2 result convention: 1, or 0 with ErrorCode. */
static L4_Word_t result(L4_Word_t e)
{
	mica_utcb()->user[X2_TCR_ERROR] = e;
	return e == 0;
}

L4_Word_t L4_ThreadControl(L4_ThreadId_t dest, L4_ThreadId_t space_spec, L4_ThreadId_t scheduler,
			   L4_ThreadId_t pager, void *utcb_location)
{
	mica_word_t *mr = mica_mr();
	mr[0] = dest.raw;
	mr[1] = space_spec.raw;
	mr[2] = scheduler.raw;
	mr[3] = pager.raw;
	mr[4] = (mica_word_t)utcb_location;
	return result(x2_server_call(X2_OP_THREAD_CONTROL, 5));
}

L4_Word_t L4_SpaceControl(L4_ThreadId_t space_spec, L4_Word_t control, L4_Fpage_t kip_area,
			  L4_Fpage_t utcb_area, L4_ThreadId_t redirector, L4_Word_t *old_control)
{
	(void)redirector; /* Mica has no redirection: docs/x2.md, "deliberately missing" */
	mica_word_t *mr = mica_mr();
	mr[0] = space_spec.raw;
	mr[1] = control;
	mr[2] = kip_area.raw;
	mr[3] = utcb_area.raw;
	if (old_control)
		*old_control = 0;
	return result(x2_server_call(X2_OP_SPACE_CONTROL, 4));
}

L4_ThreadId_t L4_ExchangeRegisters(L4_ThreadId_t dest, L4_Word_t control, L4_Word_t sp, L4_Word_t ip,
				   L4_Word_t flags, L4_Word_t user_handle, L4_ThreadId_t pager,
				   L4_Word_t *old_control, L4_Word_t *old_sp, L4_Word_t *old_ip,
				   L4_Word_t *old_flags, L4_Word_t *old_user_handle, L4_ThreadId_t *old_pager)
{
	if (L4_IsLocalId(dest))
		dest = L4_GlobalIdOf(dest);
	mica_word_t *mr = mica_mr();
	mr[0] = dest.raw;
	mr[1] = control;
	mr[2] = sp;
	mr[3] = ip;
	mr[4] = flags;
	mr[5] = user_handle;
	mr[6] = pager.raw;
	L4_Word_t e = x2_server_call(X2_OP_EXREGS, 7);
	mica_utcb()->user[X2_TCR_ERROR] = e;
	if (e != 0)
		return L4_nilthread;
	*old_control = mr[1];
	*old_sp = mr[2];
	*old_ip = mr[3];
	*old_flags = mr[4];
	*old_user_handle = mr[5];
	old_pager->raw = mr[6];
	L4_ThreadId_t r = { .raw = mr[7] };
	return r;
}

L4_Word_t L4_Schedule(L4_ThreadId_t dest, L4_Word_t time_control, L4_Word_t processor_control, L4_Word_t prio,
		      L4_Word_t preemption_control, L4_Word_t *old_time_control)
{
	/* No preemption control (delayed preemption is not offered). */
	(void)preemption_control;
	mica_word_t *mr = mica_mr();
	mr[0] = dest.raw;
	mr[1] = time_control;
	mr[2] = prio;
	mr[3] = processor_control;
	L4_Word_t e = x2_server_call(X2_OP_SCHEDULE, 4);
	mica_utcb()->user[X2_TCR_ERROR] = e;
	if (e != 0)
		return L4_SCHEDRESULT_ERROR;
	if (old_time_control)
		*old_time_control = mr[2];
	return mr[1];
}

void L4_ThreadSwitch(L4_ThreadId_t dest)
{
	int j = dest.raw ? x2_find(dest.raw) : -1;
	unsigned me = (unsigned)mica_utcb()->user[X2_TCR_INDEX];
	/* Donation needs the thread object in this space; else just yield. */
	if (j >= 0 && x2_sys.t[j].space == x2_sys.t[me].space && x2_sys.t[j].active)
		mica_thread_yield(X2_SEL_TH(j));
	else
		mica_thread_yield(X2_SEL_TH(me));
}

L4_Word_t L4_AssociateInterrupt(L4_ThreadId_t irq, L4_ThreadId_t handler)
{
	mica_word_t *mr = mica_mr();
	mr[0] = irq.raw;
	mr[1] = handler.raw;
	return result(x2_server_call(X2_OP_ASSOCIATE, 2));
}

L4_Word_t L4_DeassociateInterrupt(L4_ThreadId_t irq)
{
	mica_mr()[0] = irq.raw;
	return result(x2_server_call(X2_OP_DEASSOCIATE, 1));
}

L4_ThreadId_t L4_Pager(void)
{
	L4_ThreadId_t t = { .raw = self()->pager };
	return t;
}

void L4_Set_Pager(L4_ThreadId_t pager)
{
	L4_Word_t d;
	L4_ThreadId_t p;
	L4_ExchangeRegisters(L4_Myself(), L4_ExReg_pager, 0, 0, 0, 0, pager, &d, &d, &d, &d, &d, &p);
}

L4_ThreadId_t L4_ExceptionHandler(void)
{
	L4_ThreadId_t t = { .raw = self()->exc };
	return t;
}

void L4_Set_ExceptionHandler(L4_ThreadId_t handler)
{
	mica_word_t *mr = mica_mr();
	mr[0] = L4_Myself().raw;
	mr[1] = handler.raw;
	x2_server_call(X2_OP_SET_EXC, 2);
}

L4_Word_t L4_UserDefinedHandle(void)
{
	return self()->handle;
}

void L4_Set_UserDefinedHandle(L4_Word_t handle)
{
	/* The table is the server's (read-only here): ExchangeRegisters. */
	L4_Word_t d;
	L4_ThreadId_t p;
	L4_ExchangeRegisters(L4_Myself(), L4_ExReg_UserDefinedHandle, 0, 0, 0, handle, L4_nilthread, &d, &d,
			     &d, &d, &d, &p);
}

L4_ThreadId_t L4_LocalIdOf(L4_ThreadId_t t)
{
	int j = x2_find(t.raw);
	L4_ThreadId_t r = L4_nilthread;
	if (j >= 0 && x2_sys.t[j].space == self()->space)
		r.raw = x2_sys.t[j].utcb;
	return r;
}

L4_ThreadId_t L4_GlobalIdOf(L4_ThreadId_t t)
{
	if (L4_IsGlobalId(t))
		return t;
	unsigned s = self()->space;
	for (unsigned j = 0; j < X2_MAX_THREADS; j++)
		if (x2_sys.t[j].gid && x2_sys.t[j].space == s && x2_sys.t[j].utcb == t.raw) {
			L4_ThreadId_t r = { .raw = x2_sys.t[j].gid };
			return r;
		}
	return L4_nilthread;
}

/* ---- the start of a thread ThreadControl activated ---------------------- */
void x2_thread_returned(void)
{
	/* An X.2 thread's function returned: nothing to go back to. */
	for (;;)
		mica_thread_halt_other(X2_SEL_TH((unsigned)mica_utcb()->user[X2_TCR_INDEX]));
}

void x2_thread_entry(L4_Word_t idx)
{
	struct mica_utcb *u = mica_utcb();
	struct x2_thread *t = &x2_sys.t[idx];
	u->user[X2_TCR_MR0] = 0;
	u->user[X2_TCR_MYSELF] = t->gid;
	u->user[X2_TCR_REPLY] = 0;
	u->user[X2_TCR_ERROR] = 0;
	u->user[X2_TCR_INDEX] = idx;
	/* What an earlier thread at this index kept in this space is not ours. */
	for (unsigned k = 0; k < X2_MAX_SAVED; k++)
		x2_local[idx].saved[k] = 0;
	x2_local[idx].nsaved = 0;
	u->br[0] = u->br[1] = u->br[2] = 0;
	L4_Word_t ip = 0, sp = 0;
	/* X.2's thread start: the first message from the pager (MR1 ip, MR2
	 * sp), or ExchangeRegisters setting both. */
	for (;;) {
		if (t->start_set) {
			ip = t->start_ip;
			sp = t->start_sp;
			break;
		}
		if (x2_find(t->pager) >= 0) {
			L4_ThreadId_t pager = { .raw = t->pager };
			L4_MsgTag_t tag = L4_Receive(pager);
			if (L4_IpcSucceeded(tag) && L4_UntypedWords(tag) >= 2) {
				ip = u->mr[0];
				sp = u->mr[1];
				/* The server decides from this whether a later
				 * ExchangeRegisters still starts the thread. */
				u->mr[0] = t->gid;
				x2_server_call(X2_OP_STARTED, 1);
				break;
			}
		} else {
			mica_thread_halt_other(X2_SEL_TH(idx));
		}
	}
	/* As if called: a return lands in x2_thread_returned. */
	__asm__ volatile("mov %0, %%rsp\n\t"
			 "call *%1\n\t"
			 "call x2_thread_returned" ::"r"(sp),
			 "r"(ip)
			 : "memory");
	__builtin_unreachable();
}
