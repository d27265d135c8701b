/* The kernel's one KIP instance. */
#pragma once

#include <stdint.h>

#include "boot/kip_encode.h"

extern const struct mica_kip *kip;
extern uint64_t kip_phys; /* MICA_KIP_SIZE bytes, physically contiguous */

void kip_init(const struct kip_params *params);
void kip_print_summary(void);
