/* A task's I/O-port space: which ports it may use, as nodes of the same
 * derivation trees as memory (one node per port), and the x86 I/O
 * permission bitmap the CPU checks, kept in the task's address space. */
#pragma once

#include <mica/error.h>
#include <stdbool.h>

struct task;

/* Maps (or grants) ports [base, base + 2^log2) of `from` to `to`: each
 * port `from` holds (every port if it is the I/O root) is derived. */
enum mica_error iospace_map(struct task *from, unsigned base, struct task *to, unsigned log2, bool grant);

/* Revokes the ports in range from everything derived from t's, and from
 * t itself if flush. */
void iospace_unmap(struct task *t, unsigned base, unsigned log2, bool flush);

/* Task destruction: all its ports and what derives from them. */
void iospace_release(struct task *t);
