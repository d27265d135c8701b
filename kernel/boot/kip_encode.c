/* The KIP encoder: lays out the kernel interface page from what boot
 * discovered. Pure, so the host unit tests (tests/unit/test_kip.c) run it
 * unchanged. */
#include "boot/kip_encode.h"

#include <mica/utcb.h>
#include <string.h>

struct strings {
	uint8_t *kip;
	uint32_t pos;
	uint32_t *flags;
};

/* Appends a string to the KIP's string area; returns its offset. A string
 * that does not fit whole is cut and the KIP says so. */
static uint32_t add_string(struct strings *s, const char *str)
{
	uint32_t at = s->pos;
	uint32_t room = MICA_KIP_SIZE - s->pos;
	if (room == 0)
		return MICA_KIP_SIZE - 1; /* the last byte is always NUL */
	size_t len = str ? strlen(str) : 0;
	if (len + 1 > room) {
		len = room - 1;
		*s->flags |= MICA_KIP_STRINGS_TRUNCATED;
	}
	memcpy(s->kip + at, str, len);
	s->kip[at + len] = '\0';
	s->pos += (uint32_t)len + 1;
	return at;
}

void kip_build(void *buf, const struct kip_params *p)
{
	uint8_t *base = buf;
	struct mica_kip *kip = buf;
	memset(buf, 0, MICA_KIP_SIZE);

	kip->magic[0] = MICA_KIP_MAGIC0;
	kip->magic[1] = MICA_KIP_MAGIC1;
	kip->magic[2] = MICA_KIP_MAGIC2;
	kip->magic[3] = MICA_KIP_MAGIC3;
	kip->api_version = MICA_API_VERSION;
	kip->kip_size = MICA_KIP_SIZE;
	kip->kernel_id = MICA_KERNEL_ID;
	kip->kernel_version = MICA_API_VERSION;
	kip->utcb_size = MICA_UTCB_SIZE;
	kip->user_end = p->user_end;
	kip->timeout_precision_ns = p->timeout_precision_ns;
	kip->wall_boot_ns = p->wall_boot_ns;
	kip->clock = p->clock;
	if (p->build) {
		size_t n = strnlen(p->build, sizeof(kip->build) - 1);
		memcpy(kip->build, p->build, n);
	}

	struct mica_kip_cpu *cpus = (void *)(base + MICA_KIP_CPU_AREA);
	kip->cpu_offset = MICA_KIP_CPU_AREA;
	for (unsigned i = 0; i < p->cpu_count; i++) {
		if (i == MICA_KIP_CPU_MAX) {
			kip->flags |= MICA_KIP_CPUS_TRUNCATED;
			break;
		}
		const struct kip_cpu_desc *d = &p->cpus[i];
		cpus[i] =
			(struct mica_kip_cpu){ d->apic_id, (uint16_t)d->flags, (uint16_t)d->id,
					       (uint32_t)(d->tsc_hz / 1000), (uint32_t)(d->timer_hz / 1000) };
		kip->cpu_count++;
	}

	struct mica_kip_mem *mem = (void *)(base + MICA_KIP_MEM_AREA);
	kip->mem_offset = MICA_KIP_MEM_AREA;
	for (unsigned i = 0; p->mem && i < p->mem->count; i++) {
		if (i == MICA_KIP_MEM_MAX) {
			kip->flags |= MICA_KIP_MEM_TRUNCATED;
			break;
		}
		const struct mem_region *r = &p->mem->r[i];
		mem[i] = (struct mica_kip_mem){ r->base, r->end - r->base, r->type, 0 };
		kip->mem_count++;
	}

	struct strings s = { base, MICA_KIP_STRING_AREA, &kip->flags };
	kip->cmdline = add_string(&s, p->cmdline ? p->cmdline : "");

	struct mica_kip_module *mods = (void *)(base + MICA_KIP_MODULE_AREA);
	kip->module_offset = MICA_KIP_MODULE_AREA;
	for (unsigned i = 0; i < p->module_count; i++) {
		if (i == MICA_KIP_MODULE_MAX) {
			kip->flags |= MICA_KIP_MODULES_TRUNCATED;
			break;
		}
		const struct boot_module *m = &p->modules[i];
		mods[i] = (struct mica_kip_module){ m->start, m->end - m->start, add_string(&s, m->cmdline),
						    0, 0 };
		kip->module_count++;
	}
}

void kip_clock_scale(uint64_t hz, uint64_t *mult, uint32_t *shift)
{
	/* mult = 1e9 * 2^shift / hz with the largest shift (at most 32) that
	 * keeps mult below 2^32: precise to better than 1 ns per second, and
	 * the product fits a 128-bit multiply (x86-64 mul) for any tick count. */
	uint32_t sh = 32;
	if (hz == 0) {
		*mult = 0;
		*shift = 0;
		return;
	}
	while (sh > 0 && ((1000000000ul << sh) / hz) >= (1ul << 32))
		sh--;
	*mult = (1000000000ul << sh) / hz;
	*shift = sh;
}
