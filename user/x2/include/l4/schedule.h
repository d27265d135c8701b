/* L4 X.2 scheduling: Yield, ThreadSwitch, Schedule and the clock. */
#pragma once

#include <l4/types.h>

/* Donates the rest of the time slice to `dest` (nilthread: any). */
void L4_ThreadSwitch(L4_ThreadId_t dest);
L4_INLINE void L4_Yield(void)
{
	L4_ThreadSwitch(L4_nilthread);
}

/* Thread states Schedule returns. */
#define L4_SCHEDRESULT_ERROR 0
#define L4_SCHEDRESULT_DEAD 1
#define L4_SCHEDRESULT_INACTIVE 2
#define L4_SCHEDRESULT_RUNNING 3
#define L4_SCHEDRESULT_PENDING_SEND 4
#define L4_SCHEDRESULT_SENDING 5
#define L4_SCHEDRESULT_WAITING 6
#define L4_SCHEDRESULT_RECEIVING 7

/* time_control: time slice (bits 31..16, an L4_Time_t period) and total
 * quantum (bits 15..0); ~0 (or -1 for prio) leaves a parameter alone. */
L4_Word_t L4_Schedule(L4_ThreadId_t dest, L4_Word_t time_control, L4_Word_t processor_control, L4_Word_t prio,
		      L4_Word_t preemption_control, L4_Word_t *old_time_control);
L4_INLINE L4_Word_t L4_Set_Priority(L4_ThreadId_t dest, L4_Word_t prio)
{
	L4_Word_t d;
	return L4_Schedule(dest, ~0ul, ~0ul, prio, ~0ul, &d);
}
/* processor_control: the processor (bits 15..0) to move the thread to;
 * ~0 leaves it where it is. A processor that is not there: error
 * "invalid parameter". */
L4_INLINE L4_Word_t L4_Set_ProcessorNo(L4_ThreadId_t dest, L4_Word_t cpu)
{
	L4_Word_t d;
	return L4_Schedule(dest, ~0ul, cpu & 0xffff, ~0ul, ~0ul, &d);
}
L4_INLINE L4_Word_t L4_Set_Timeslice(L4_ThreadId_t dest, L4_Time_t slice, L4_Time_t quantum)
{
	L4_Word_t d;
	return L4_Schedule(dest, ((L4_Word_t)slice.raw << 16) | quantum.raw, ~0ul, ~0ul, ~0ul, &d);
}

/* Microseconds since boot. */
L4_Clock_t L4_SystemClock(void);
