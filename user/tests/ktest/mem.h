/* Memory helpers for the map, grant, unmap, fault and destroy cases. */
#pragma once

#include <mica/fpage.h>
#include <mica/layout.h>

#include "ktest.h"

/* Pages of this task the cases map around (also visible in child tasks,
 * as part of the shared image). */
#define KARENA_PAGES 32
extern volatile mica_word_t karena[KARENA_PAGES][512];
#define KPAGE(i) ((mica_word_t)karena[i])

/* Where the cases map aliases, in this task and in children; the runner
 * flushes it in this task after every case. */
#define KALIAS 0x40000000ul
#define KALIAS_LOG2 30

/* MICA_TASK_MAP of 2^log2 bytes at addr in src to dst_addr in dst. */
int kmap(mica_cap_t dst, mica_cap_t src, mica_word_t addr, mica_word_t dst_addr, unsigned log2,
	 mica_word_t rights);
int kgrant(mica_cap_t dst, mica_cap_t src, mica_word_t addr, mica_word_t dst_addr, unsigned log2);

/* MICA_TASK_UNMAP of one memory fpage; *status gets its status bits. */
int kunmap(mica_cap_t task, mica_word_t addr, unsigned log2, mica_word_t rights, mica_word_t flags,
	   mica_word_t *status);

/* Runs a thread in task that reads the word at addr (or writes *value
 * there if write) and reports. Returns 0 if the access worked (*value:
 * the word read), KPROBE_FAULT | the page-fault access bits (MICA_FPAGE_*
 * | MICA_PF_PRESENT) if it faulted, -1 if the probe itself failed. The
 * faulting thread is stopped. */
#define KPROBE_FAULT 0x100
int kprobe(mica_cap_t task, mica_word_t addr, int write, mica_word_t *value);

/* A case's handler gate: a new gate in this task, also given to `task`
 * (if not KTASK) at *in_task. */
int kgate_for(mica_cap_t task, mica_cap_t *gate, mica_cap_t *in_task);
