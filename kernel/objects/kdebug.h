/* The kernel debug object (include/mica/kdebug.h). */
#pragma once

#include <mica/msgtag.h>

struct kobj;
struct thread;
struct cap_slot;

struct kobj *kdebug_object(void);
mica_msgtag_t kdebug_invoke(struct thread *caller, struct cap_slot *cap, mica_msgtag_t tag);
