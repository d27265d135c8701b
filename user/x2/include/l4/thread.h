/* L4 X.2 threads: who am I, thread control (privileged), exchange
 * registers, the pager and exception handler, the user-defined handle. */
#pragma once

#include <l4/types.h>
#include <l4/message.h>

L4_INLINE L4_ThreadId_t L4_Myself(void)
{
	L4_ThreadId_t t;
	t.raw = *__L4_Tcr(__L4_UTCB_MYSELF);
	return t;
}
L4_INLINE L4_ThreadId_t L4_MyGlobalId(void)
{
	return L4_Myself();
}
#define L4_MyglobalId L4_MyGlobalId
/* The local id is the UTCB's address. */
L4_INLINE L4_ThreadId_t L4_MyLocalId(void)
{
	L4_ThreadId_t t;
	t.raw = (L4_Word_t)__L4_Utcb();
	return t;
}
L4_ThreadId_t L4_LocalIdOf(L4_ThreadId_t t);
L4_ThreadId_t L4_GlobalIdOf(L4_ThreadId_t t);

L4_ThreadId_t L4_Pager(void);
void L4_Set_Pager(L4_ThreadId_t pager);
L4_ThreadId_t L4_ExceptionHandler(void);
void L4_Set_ExceptionHandler(L4_ThreadId_t handler);
L4_Word_t L4_UserDefinedHandle(void);
void L4_Set_UserDefinedHandle(L4_Word_t handle);

/* Privileged (the root server's space): create (dest new), change, or
 * delete (space nilthread) a thread; space_spec = dest makes a new
 * address space. Returns 1, or 0 with the ErrorCode TCR set. */
L4_Word_t L4_ThreadControl(L4_ThreadId_t dest, L4_ThreadId_t space_spec, L4_ThreadId_t scheduler,
			   L4_ThreadId_t pager, void *utcb_location);
#define L4_ErrNoPrivilege 1
#define L4_ErrInvalidThread 2
#define L4_ErrInvalidSpace 3
#define L4_ErrInvalidScheduler 4
#define L4_ErrInvalidParam 5
#define L4_ErrUtcbArea 6
#define L4_ErrKipArea 7
#define L4_ErrNoMem 8

/* ExchangeRegisters control bits (X.2). */
#define L4_ExReg_Halt_Flag (1ul << 8)		/* h: the halt state to set with H */
#define L4_ExReg_Halt ((1ul << 0) | (1ul << 8)) /* halt */
#define L4_ExReg_Resume (1ul << 0)		/* H without h: resume */
#define L4_ExReg_AbortRecvIPC (1ul << 1)
#define L4_ExReg_AbortSendIPC (1ul << 2)
#define L4_ExReg_AbortIPC (3ul << 1)
#define L4_ExReg_sp (1ul << 3)
#define L4_ExReg_ip (1ul << 4)
#define L4_ExReg_sp_ip (3ul << 3)
#define L4_ExReg_flags (1ul << 5)
#define L4_ExReg_UserDefinedHandle (1ul << 6)
#define L4_ExReg_pager (1ul << 7)
#define L4_ExReg_Deliver (1ul << 9)

L4_ThreadId_t L4_ExchangeRegisters(L4_ThreadId_t dest, L4_Word_t control, L4_Word_t sp, L4_Word_t ip,
				   L4_Word_t flags, L4_Word_t user_handle, L4_ThreadId_t pager,
				   L4_Word_t *old_control, L4_Word_t *old_sp, L4_Word_t *old_ip,
				   L4_Word_t *old_flags, L4_Word_t *old_user_handle,
				   L4_ThreadId_t *old_pager);

L4_INLINE void L4_Start_SpIp(L4_ThreadId_t t, L4_Word_t sp, L4_Word_t ip)
{
	L4_Word_t d;
	L4_ThreadId_t p;
	L4_ExchangeRegisters(t, L4_ExReg_sp_ip | L4_ExReg_Resume | L4_ExReg_AbortIPC, sp, ip, 0, 0,
			     L4_nilthread, &d, &d, &d, &d, &d, &p);
}
L4_INLINE void L4_Start(L4_ThreadId_t t)
{
	L4_Word_t d;
	L4_ThreadId_t p;
	L4_ExchangeRegisters(t, L4_ExReg_Resume | L4_ExReg_AbortIPC, 0, 0, 0, 0, L4_nilthread, &d, &d, &d, &d,
			     &d, &p);
}
L4_INLINE void L4_Stop(L4_ThreadId_t t)
{
	L4_Word_t d;
	L4_ThreadId_t p;
	L4_ExchangeRegisters(t, L4_ExReg_Halt, 0, 0, 0, 0, L4_nilthread, &d, &d, &d, &d, &d, &p);
}
L4_INLINE void L4_AbortIpc_and_stop(L4_ThreadId_t t)
{
	L4_Word_t d;
	L4_ThreadId_t p;
	L4_ExchangeRegisters(t, L4_ExReg_Halt | L4_ExReg_AbortIPC, 0, 0, 0, 0, L4_nilthread, &d, &d, &d, &d,
			     &d, &p);
}
