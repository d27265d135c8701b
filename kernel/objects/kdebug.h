/* The kernel debug object (include/mica/kdebug.h): one, permanent. */
#pragma once

#include "objects/invoke.h"

struct kobj;

struct kobj *kdebug_object(void);

/* The kernel debug object's methods, by label (kdebug_invoke.c). */
extern const struct invoke_method kdebug_methods[INVOKE_LABELS];
