/* The X.2 benchmark's set-up (x2_bench.c). */
#pragma once

#include <l4/types.h>

/* Starts the personality and an X.2 echo server in its own space; its id,
 * or nilthread. */
L4_ThreadId_t x2_bench_echo(void);
