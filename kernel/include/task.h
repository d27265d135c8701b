/* A task: a protection domain. So far it is an address space and a name;
 * capability and I/O spaces come with the capability issue. */
#pragma once

#include "arch/vm.h"

#define TASK_NAME_MAX 32

struct task {
	struct vm_space vm;
	unsigned id;
	char name[TASK_NAME_MAX];
};

/* Interim: objects are whole frames from kernel memory until factories
 * with quotas exist. */
struct task *task_create(const char *name);
