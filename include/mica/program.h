/* How a loader starts a program (docs/abi.md section 12): the System V
 * x86-64 initial stack, the auxiliary vector and the capabilities a
 * program finds, and the parent protocol through which it exits. */
#pragma once

#include <mica/types.h>

/* Auxiliary vector types (System V ABI, x86-64 supplement). */
#define MICA_AT_NULL 0
#define MICA_AT_PHDR 3	  /* program headers, in the program's memory */
#define MICA_AT_PHENT 4	  /* their entry size */
#define MICA_AT_PHNUM 5	  /* their count */
#define MICA_AT_PAGESZ 6  /* 4096 */
#define MICA_AT_ENTRY 9	  /* the program's entry point */
#define MICA_AT_RANDOM 25 /* 16 random bytes */
/* Mica's own, from the OS-specific range: where the KIP is mapped. */
#define MICA_AT_KIP 0x4d00

/* Selectors a loaded program finds filled (besides MICA_CAP_TASK,
 * MICA_CAP_THREAD, MICA_CAP_PAGER = its loader's gate, MICA_CAP_VCON). */
#define MICA_CAP_PARENT 8 /* its loader: the parent protocol below */

/* Parent protocol: calls through MICA_CAP_PARENT. */
#define MICA_PARENT_EXIT 1 /* MR0 = exit status; never answered */

/* Status a loader reports for a program stopped by an exception it did
 * not handle: this base plus the vector. */
#define MICA_EXIT_EXCEPTION 0x100
