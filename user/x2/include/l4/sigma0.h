/* The L4 X.2 sigma0 protocol: ask the root pager for memory. */
#pragma once

#include <l4/types.h>

/* The fpage's frames mapped at the same address (or into rcv_window);
 * returns the fpage given, or L4_Nilpage if sigma0 refused. */
L4_Fpage_t L4_Sigma0_GetPage(L4_ThreadId_t s0, L4_Fpage_t f);
L4_Fpage_t L4_Sigma0_GetPage_RcvWindow(L4_ThreadId_t s0, L4_Fpage_t f, L4_Fpage_t rcv_window);
/* Any free memory of 2^log2 bytes, into rcv_window. */
L4_Fpage_t L4_Sigma0_GetAny(L4_ThreadId_t s0, L4_Word_t log2size, L4_Fpage_t rcv_window);
