/* The kernel debugger's view of x86-64 page tables: the four-level walk
 * of one address, and whether a kernel address is mapped (debug builds). */
#include "arch/vm.h"

#ifdef MICA_DEBUG

#include "klib/kprintf.h"
#include <machine/x86.h>

#define P (1ul << 0)
#define W (1ul << 1)
#define U (1ul << 2)
#define A (1ul << 5)
#define D (1ul << 6)
#define PS (1ul << 7)
#define NX (1ul << 63)
#define ADDR 0x000ffffffffff000ul

static const char *const level_names[4] = { "PT", "PD", "PDPT", "PML4" };

static unsigned index_of(uint64_t va, int level)
{
	return (unsigned)(va >> (12 + 9 * level)) & 511;
}

void vm_print_walk(const struct vm_space *vm, uint64_t va)
{
	uint64_t t = vm->root;
	kprintf("pt: va 0x%lx in the space with root table 0x%lx\n", va, t);
	for (int l = 3; l >= 0 && t; l--) {
		unsigned i = index_of(va, l);
		uint64_t e = ((const uint64_t *)phys_to_virt(t))[i];
		kprintf("pt: %-4s 0x%lx[%3u] = 0x%016lx%s%s%s%s%s%s%s\n", level_names[l], t, i, e,
			(e & P) ? " present" : " not present", (e & W) ? " write" : "",
			(e & U) ? " user" : "", (e & A) ? " accessed" : "",
			(e & D) && (l == 0 || (e & PS)) ? " dirty" : "", (e & PS) && l ? " large" : "",
			(e & NX) ? " nx" : "");
		if (!(e & P))
			return;
		if (l == 0 || (e & PS)) {
			uint64_t off = va & ((1ul << (12 + 9 * l)) - 1);
			kprintf("pt: -> physical 0x%lx\n", (e & ADDR & ~((1ul << (12 + 9 * l)) - 1)) + off);
			return;
		}
		t = e & ADDR;
	}
}

bool vm_kernel_readable(const void *p)
{
	uint64_t va = (uint64_t)p, t = read_cr3() & ADDR;
	for (int l = 3; l >= 0; l--) {
		uint64_t e = ((const uint64_t *)phys_to_virt(t))[index_of(va, l)];
		if (!(e & P))
			return false;
		if (l == 0 || (e & PS))
			return true;
		t = e & ADDR;
	}
	return false;
}

#endif
