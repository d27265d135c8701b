/* The IPC fast path lives in fastpath.c, which is also the system-call
 * entry (core_syscall): it tries the fast path first and hands anything
 * else to syscall_general. Built with MICA_FASTPATH=1 (the default);
 * make FASTPATH=0 leaves it out, for testing the general path alone. */
#pragma once

#ifndef MICA_FASTPATH
#define MICA_FASTPATH 1
#endif
