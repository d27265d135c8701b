/* The fast path of a kernel object's method that is not IPC: an unmap of
 * one 4 KiB page (MICA_TASK_UNMAP), the counterpart of fast_map. Part of
 * ipc/fastpath.h, which includes this file where its helpers are
 * defined, inline into the system-call entry (ipc/syscall.c). As every
 * fast path: it finishes the call or returns having changed nothing, and
 * its checks are the general path's own. */
#pragma once

#include <mica/fpage.h>
#include <mica/task.h>

#include "memory/mapdb.h"
#include "objects/task.h"

#if MICA_FASTPATH

/* MICA_TASK_UNMAP of one flexpage (u = 2) of one 4 KiB page of memory in
 * the task cap names, with the checks of the method table
 * (task_unmap_call) and of the UNMAP decoder (the flags; fpage_decode:
 * the word's low 12 bits hold exactly the type and size, and the page
 * lies in the 47-bit space): as task_unmap would, mapdb_unmap revokes
 * the rights, and the caller has the page back with its status bits
 * (task_unmap_result). cap names a task and task_unmap_call holds. Out
 * of line, as fast_map. */
static __attribute__((noinline)) void fast_unmap(struct thread *self, const struct cap_slot *cap,
						 struct arch_regs *regs)
{
	volatile mica_word_t *mr = self->utcb->mr;
	mica_word_t flags = mr[0], fp = mr[1];
	if (mica_msgtag_u((mica_msgtag_t){ syscall_arg_tag(regs) }) != 2 || (flags & ~MICA_UNMAP_FLUSH) ||
	    (fp & 0xff8) !=
		    (MICA_FPAGE_MEM << MICA_FPAGE_TYPE_SHIFT | VM_PAGE_LOG2 << MICA_FPAGE_SIZE_SHIFT) ||
	    fp >= 1ul << MICA_FPAGE_MEM_MAX)
		return;
	/* With more CPUs the shootdown's wait may let other CPUs read or
	 * change self's registers, and core_resume below restores them all
	 * from the frame: the entry left part of them in the CPU. */
	if (cpus_online > 1)
		arch_syscall_save_preserved(regs);
	unsigned st = mapdb_unmap((struct task *)cap_obj(cap), mica_fpage_base(fp), VM_PAGE_LOG2,
				  (unsigned)mica_fpage_rights(fp), flags & MICA_UNMAP_FLUSH);
	mr[1] = task_unmap_result(fp, st);
	self->utcb->error = MICA_OK;
	mica_word_t result = mica_msgtag(0, 2, 0, 0).raw;
	/* With more CPUs a shootdown's wait serves remote requests, which may
	 * have stopped or moved the caller or woken a thread that outranks
	 * it: the scheduler decides, as after the general path. With one,
	 * nothing else ran. */
	if (cpus_online > 1) {
		syscall_set_result(regs, result, 0);
		core_resume();
	}
	arch_return_to_caller(regs, result, 0);
}

#endif
