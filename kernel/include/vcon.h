/* The kernel console object: one, permanent. */
#pragma once

#include "kobj.h"

struct kobj *vcon_object(void);
