/* L4 X.2 kernel-debugger output. */
#pragma once

#include <l4/types.h>

void L4_KDB_PrintChar(char c);
void L4_KDB_PrintString(const char *s);
/* Prints the reason; Mica has no interactive debugger to enter. */
void L4_KDB_Enter(const char *reason);
