/* The kernel interface page (KIP): built by the kernel at boot, mapped
 * read-only into every task at an address the task's creator chooses.
 * All offsets are from the start of the KIP; tables are found through the
 * offsets and counts in the header, never at assumed positions. */
#pragma once

#include <mica/types.h>

#define MICA_KIP_SIZE 8192 /* two pages */
#define MICA_KIP_MAGIC0 'L'
#define MICA_KIP_MAGIC1 '4'
#define MICA_KIP_MAGIC2 0xe6 /* the L4 convention's byte for 'µ' */
#define MICA_KIP_MAGIC3 'K'

#define MICA_API_VERSION_MAJOR 0
#define MICA_API_VERSION_MINOR 1
#define MICA_API_VERSION ((MICA_API_VERSION_MAJOR << 16) | MICA_API_VERSION_MINOR)

#define MICA_KERNEL_ID 0x4d494341u /* "MICA" */

/* kip.flags */
#define MICA_KIP_MEM_TRUNCATED (1u << 0)     /* more memory regions than fit */
#define MICA_KIP_MODULES_TRUNCATED (1u << 1) /* more boot modules than fit */
#define MICA_KIP_STRINGS_TRUNCATED (1u << 2) /* a command line was cut */
#define MICA_KIP_CPUS_TRUNCATED (1u << 3)

/* clock.flags */
#define MICA_CLOCK_TSC_INVARIANT (1u << 0) /* constant rate in all power states */

enum mica_mem_type {
	MICA_MEM_CONVENTIONAL = 1, /* free RAM: sigma0 hands it out */
	MICA_MEM_MODULE = 2,	   /* a boot module's image */
	MICA_MEM_KERNEL = 3,	   /* kernel image and kernel memory pool */
	MICA_MEM_ACPI = 4,	   /* ACPI tables, reclaimable after parsing */
	MICA_MEM_ACPI_NVS = 5,
	MICA_MEM_RESERVED = 6, /* firmware reserved, device memory */
	MICA_MEM_BAD = 7,
};

struct mica_kip_mem {
	uint64_t base;
	uint64_t size;
	uint32_t type; /* enum mica_mem_type */
	uint32_t reserved;
};

/* One per CPU the firmware lists, online or not. */
struct mica_kip_cpu {
	uint32_t apic_id;
	uint16_t flags;	    /* bit 0: online (running the kernel), bit 1: boot CPU */
	uint16_t id;	    /* the CPU's number (scheduler, IDLE_TIME); MICA_KIP_CPU_NO_ID if not online */
	uint32_t tsc_khz;   /* its time-stamp counter's rate */
	uint32_t timer_khz; /* its local APIC timer's input rate (after the divider) */
};
#define MICA_KIP_CPU_ONLINE (1u << 0)
#define MICA_KIP_CPU_BOOT (1u << 1)
#define MICA_KIP_CPU_NO_ID 0xffffu

struct mica_kip_module {
	uint64_t base;
	uint64_t size;
	uint32_t cmdline; /* offset of a NUL-terminated string from KIP start */
	uint32_t reserved;
	uint64_t reserved2;
};

struct mica_kip_clock {
	uint64_t tsc_hz;   /* time-stamp counter frequency */
	uint64_t tsc_boot; /* TSC value at kernel start: time 0 */
	uint64_t timer_hz; /* local APIC timer input frequency (after divider) */
	uint32_t flags;	   /* MICA_CLOCK_* */
	uint32_t ns_shift; /* ns = ((tsc - tsc_boot) * ns_mult) >> ns_shift, 128-bit product */
	uint64_t ns_mult;
};

struct mica_kip {
	uint8_t magic[4];	 /* 0x000: 'L' '4' 0xe6 'K' */
	uint32_t api_version;	 /* 0x004: major << 16 | minor */
	uint32_t kip_size;	 /* 0x008: bytes */
	uint32_t flags;		 /* 0x00c: MICA_KIP_* */
	uint32_t kernel_id;	 /* 0x010: MICA_KERNEL_ID */
	uint32_t kernel_version; /* 0x014: major << 16 | minor */
	char build[64];		 /* 0x018: build description, NUL-terminated */
	uint32_t mem_offset;	 /* 0x058: struct mica_kip_mem[] */
	uint32_t mem_count;
	uint32_t cpu_offset; /* 0x060: struct mica_kip_cpu[] */
	uint32_t cpu_count;
	uint32_t module_offset; /* 0x068: struct mica_kip_module[] */
	uint32_t module_count;
	uint32_t cmdline;	       /* 0x070: offset of the kernel command line */
	uint32_t utcb_size;	       /* 0x074: bytes per UTCB */
	struct mica_kip_clock clock;   /* 0x078 */
	uint64_t user_end;	       /* 0x0a0: first address above user space */
	uint64_t timeout_precision_ns; /* 0x0a8: how late a timeout may end */
	/* 0x0b0: the wall clock at time 0 of the clock above, in ns since
	 * 1970-01-01 00:00 UTC, from the RTC read at boot (to the second);
	 * 0 if the machine has none. */
	uint64_t wall_boot_ns;
	uint8_t reserved[0x200 - 0xb8];
};

_Static_assert(sizeof(struct mica_kip) == 0x200, "KIP header size is ABI");
_Static_assert(offsetof(struct mica_kip, mem_offset) == 0x58, "KIP layout is ABI");
_Static_assert(offsetof(struct mica_kip, clock) == 0x78, "KIP layout is ABI");
_Static_assert(offsetof(struct mica_kip, user_end) == 0xa0, "KIP layout is ABI");
_Static_assert(offsetof(struct mica_kip, wall_boot_ns) == 0xb0, "KIP layout is ABI");
_Static_assert(sizeof(struct mica_kip_mem) == 24, "KIP layout is ABI");
_Static_assert(sizeof(struct mica_kip_module) == 32, "KIP layout is ABI");
_Static_assert(sizeof(struct mica_kip_clock) == 40, "KIP layout is ABI");
_Static_assert(sizeof(struct mica_kip_cpu) == 16, "KIP layout is ABI");

/* Where the kernel places the tables inside the KIP (the header's offsets
 * are authoritative; these fix the capacities). */
#define MICA_KIP_CPU_AREA 0x200
#define MICA_KIP_CPU_MAX 64
#define MICA_KIP_MEM_AREA 0x600
#define MICA_KIP_MEM_MAX 128
#define MICA_KIP_MODULE_AREA 0x1200
#define MICA_KIP_MODULE_MAX 32
#define MICA_KIP_STRING_AREA 0x1600
_Static_assert(MICA_KIP_CPU_AREA + MICA_KIP_CPU_MAX * sizeof(struct mica_kip_cpu) <= MICA_KIP_MEM_AREA,
	       "the CPU table fits its area");

static inline const void *mica_kip_at(const struct mica_kip *kip, uint32_t offset)
{
	return (const uint8_t *)kip + offset;
}
