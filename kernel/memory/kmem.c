/* The kernel memory pool: carved out of conventional memory at boot, it
 * supplies every frame the kernel allocates, and keeps which factory each
 * frame is charged to. */
#include "memory/kmem.h"

#include <string.h>

#include "arch/vm.h"
#include "memory/frame.h"
#include "klib/kprintf.h"
#include "klib/panic.h"
#include "klib/spinlock.h"

/* The pool is a share of conventional memory, taken from one free region
 * below 4 GiB (the boot page tables reach only that far): RAM / 16,
 * between 4 MiB and 256 MiB. */
#define POOL_MIN (4ul << 20)
#define POOL_MAX (256ul << 20)
#define POOL_LIMIT (4ul << 30)
#define LOW_MEMORY (1ul << 20) /* left to firmware and, later, the AP start-up code */

static struct frame_pool pool;
#ifdef MICA_DEBUG
/* The ledger: the factory each pool frame is charged to (0: free, or the
 * kernel's own). */
static struct factory **owners;
/* The invariant checker's marks: frames it found in use. */
static uint64_t *seen;
#endif
static struct spinlock pool_lock = SPINLOCK_INIT;

void kmem_init(struct memmap *map)
{
	uint64_t want = memmap_total(map, MICA_MEM_CONVENTIONAL) / 16;
	want = want < POOL_MIN ? POOL_MIN : want > POOL_MAX ? POOL_MAX : want;
	want &= ~(FRAME_SIZE - 1);

	/* The largest conventional region below 4 GiB, above low memory. */
	uint64_t best_base = 0, best_size = 0;
	for (unsigned i = 0; i < map->count; i++) {
		const struct mem_region *r = &map->r[i];
		if (r->type != MICA_MEM_CONVENTIONAL)
			continue;
		uint64_t b =
			(r->base < LOW_MEMORY ? LOW_MEMORY : r->base + FRAME_SIZE - 1) & ~(FRAME_SIZE - 1);
		uint64_t e = (r->end > POOL_LIMIT ? POOL_LIMIT : r->end) & ~(FRAME_SIZE - 1);
		if (e > b && e - b > best_size) {
			best_base = b;
			best_size = e - b;
		}
	}
	PANIC_IF(best_size < POOL_MIN / 2, "kmem: no free region of %lu KiB below 4 GiB for kernel memory",
		 POOL_MIN / 2 >> 10);
	if (want > best_size)
		want = best_size;

	/* Take the top of the region: low memory stays free for devices that
	 * need it, and sigma0 gets one large block below. */
	uint64_t base = best_base + best_size - want;
	uint64_t frames = want / FRAME_SIZE;
	uint64_t bitmap_frames = (frame_bitmap_bytes(frames) + FRAME_SIZE - 1) / FRAME_SIZE;
	frame_pool_init(&pool, base, frames, phys_to_virt(base));
	frame_pool_release(&pool, base + bitmap_frames * FRAME_SIZE, frames - bitmap_frames);
	PANIC_IF(!memmap_set(map, base, want, MICA_MEM_KERNEL), "kmem: memory map full");
#ifdef MICA_DEBUG
	uint64_t at;
	PANIC_IF(!kmem_alloc_contig((frames * sizeof(struct factory *) + FRAME_SIZE - 1) / FRAME_SIZE, &at),
		 "kmem: no room for the frame ledger");
	owners = phys_to_virt(at);
	PANIC_IF(!kmem_alloc_contig((frame_bitmap_bytes(frames) + FRAME_SIZE - 1) / FRAME_SIZE, &at),
		 "kmem: no room for the checker's bitmap");
	seen = phys_to_virt(at);
#endif
	kprintf("kmem: %lu KiB kernel memory at 0x%lx-0x%lx\n", want >> 10, base, base + want);
}

bool kmem_alloc_contig(uint64_t frames, uint64_t *phys)
{
	spin_lock(&pool_lock);
	bool ok = frame_pool_alloc(&pool, frames, 1, phys);
	spin_unlock(&pool_lock);
	if (ok)
		memset(phys_to_virt(*phys), 0, frames * FRAME_SIZE);
	return ok;
}

bool kmem_alloc_frame(uint64_t *phys)
{
	return kmem_alloc_contig(1, phys);
}

void kmem_free_frame(uint64_t phys)
{
	spin_lock(&pool_lock);
	enum frame_free_result r = frame_pool_free(&pool, phys, 1);
	spin_unlock(&pool_lock);
	PANIC_IF(r != FRAME_FREED, "kmem: bad free of frame 0x%lx (%d)", phys, (int)r);
}

uint64_t kmem_free_bytes(void)
{
	return pool.free * FRAME_SIZE;
}

uint64_t kmem_total_bytes(void)
{
	return pool.frames * FRAME_SIZE;
}

#ifdef MICA_DEBUG
bool kmem_unlocked(void)
{
	return !__atomic_load_n(&pool_lock.locked, __ATOMIC_RELAXED);
}
#endif

#ifdef MICA_DEBUG
static bool in_pool(uint64_t phys)
{
	return phys >= pool.base && (phys - pool.base) / FRAME_SIZE < pool.frames;
}

/* The pool index of the frame at phys (which must be a pool frame). */
static uint64_t frame_index(uint64_t phys)
{
	PANIC_IF(!in_pool(phys) || (phys & (FRAME_SIZE - 1)), "kmem: frame 0x%lx is not in the kernel pool",
		 phys);
	return (phys - pool.base) / FRAME_SIZE;
}

static struct factory **owner_slot(uint64_t phys)
{
	return &owners[frame_index(phys)];
}

void kmem_charge(uint64_t phys, uint64_t frames, struct factory *f)
{
	for (uint64_t i = 0; i < frames; i++) {
		struct factory **o = owner_slot(phys + i * FRAME_SIZE);
		PANIC_IF(*o, "kmem: frame 0x%lx charged to factory %p is charged again to %p",
			 phys + i * FRAME_SIZE, (void *)*o, (void *)f);
		*o = f;
	}
}

void kmem_refund(uint64_t phys, struct factory *f)
{
	struct factory **o = owner_slot(phys);
	PANIC_IF(*o != f, "kmem: frame 0x%lx refunded to factory %p but charged to %p", phys, (void *)f,
		 (void *)*o);
	*o = 0;
}

struct factory *kmem_owner(uint64_t phys)
{
	return *owner_slot(phys);
}

struct factory *kmem_owner_or_0(uint64_t phys)
{
	return in_pool(phys) ? kmem_owner(phys & ~(FRAME_SIZE - 1)) : 0;
}

void kmem_seen_clear(void)
{
	memset(seen, 0, frame_bitmap_bytes(pool.frames));
}

bool kmem_mark_seen(uint64_t phys)
{
	uint64_t i = frame_index(phys), bit = 1ul << (i % 64);
	bool fresh = !(seen[i / 64] & bit);
	seen[i / 64] |= bit;
	return fresh;
}

bool kmem_was_seen(uint64_t phys)
{
	uint64_t i = frame_index(phys);
	return seen[i / 64] & (1ul << (i % 64));
}

bool kmem_next_charged(uint64_t *phys, struct factory **f)
{
	for (uint64_t i = *phys < pool.base ? 0 : (*phys - pool.base) / FRAME_SIZE; i < pool.frames; i++)
		if (owners[i]) {
			*phys = pool.base + i * FRAME_SIZE;
			*f = owners[i];
			return true;
		}
	return false;
}
#endif
