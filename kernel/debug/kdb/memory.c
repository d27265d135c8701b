/* The debugger's memory commands: a task's mapping at an address with
 * its place in the mapping database (the chain it was derived along,
 * up to the root in physical memory, and what was derived from it),
 * the page-table walk, and dumps of physical and task-virtual memory. */
#include "arch/vm.h"
#include "debug/kdb/kdb.h"
#include "klib/kprintf.h"
#include "memory/mapdb.h"
#include "objects/task.h"

static void rights(unsigned r, char out[4])
{
	out[0] = (r & VM_READ) ? 'r' : '-';
	out[1] = (r & VM_WRITE) ? 'w' : '-';
	out[2] = (r & VM_EXEC) ? 'x' : '-';
	out[3] = 0;
}

static void node_line(const char *what, unsigned depth, const struct mapnode *n)
{
	char r[4];
	rights(n->rights, r);
	kprintf("map: %*s%s task %u '%s' va 0x%lx phys 0x%lx size %s rights %s\n", (int)(2 * depth), "", what,
		n->space->id, n->space->name, n->va, n->pa, n->log2 == VM_LARGE_LOG2 ? "2M" : "4K", r);
}

void kdb_cmd_mapping(struct kdb_args *a)
{
	struct task *t = kdb_task(a->n > 1 ? a->v[1] : ".");
	uint64_t va;
	if (!t)
		return;
	if (a->n < 3 || !kdb_number(a->v[2], &va)) {
		kprintf("kdb: map TASK ADDR\n");
		return;
	}
	if (t->phys_space) {
		kprintf("map: task %u '%s' is physical memory itself: 0x%lx is physical 0x%lx (a root of the "
			"mapping database)\n",
			t->id, t->name, va, va);
		return;
	}
	uint64_t pa;
	unsigned prot;
	struct vm_leaf l;
	if (!vm_lookup(&t->vm, va, &pa, &prot) || !vm_leaf(&t->vm, va, &l)) {
		kprintf("map: task %u '%s' has nothing mapped at 0x%lx\n", t->id, t->name, va);
		return;
	}
	char r[4];
	rights(prot, r);
	kprintf("map: task %u '%s' va 0x%lx -> phys 0x%lx rights %s\n", t->id, t->name, va, pa, r);
	const struct mapnode *n = *l.node;
	if (!n) {
		kprintf("map: a kernel mapping (the UTCB area): no mapping-database node\n");
		return;
	}
	/* Up: the chain it was derived along. */
	node_line("this:", 0, n);
	unsigned depth = 1;
	const struct mapnode *up = n;
	while ((up = mapnode_of(up->tree.parent)))
		node_line("from", depth++, up);
	kprintf("map: %*sroot: physical 0x%lx, from sigma0 (all physical memory) or the kernel's boot "
		"mapping\n",
		(int)(2 * depth), "", n->pa);
	/* Down: everything derived from it, depth first without recursion. */
	unsigned below = 0;
	const struct dtree *d = n->tree.child;
	depth = 1;
	while (d) {
		node_line("to", depth, mapnode_of((struct dtree *)d));
		below++;
		if (d->child) {
			d = d->child;
			depth++;
			continue;
		}
		while (d && !d->next && d != &n->tree) {
			d = d->parent;
			depth--;
		}
		if (!d || d == &n->tree)
			break;
		d = d->next;
	}
	kprintf("map: %u mappings derived from it\n", below);
}

void kdb_cmd_pagewalk(struct kdb_args *a)
{
	struct task *t = kdb_task(a->n > 1 ? a->v[1] : ".");
	uint64_t va;
	if (!t)
		return;
	if (a->n < 3 || !kdb_number(a->v[2], &va)) {
		kprintf("kdb: pt TASK ADDR\n");
		return;
	}
	if (t->phys_space) {
		kprintf("pt: task %u '%s' is physical memory: no page tables of its own\n", t->id, t->name);
		return;
	}
	vm_print_walk(&t->vm, va);
}

#define DUMP_MAX 4096

/* 16 bytes a line: address, the two words, the bytes as text. */
static void dump_line(uint64_t addr, const uint8_t *p, unsigned n)
{
	char text[17];
	uint64_t w[2] = { 0, 0 };
	for (unsigned i = 0; i < 16; i++) {
		uint8_t c = i < n ? p[i] : 0;
		((uint8_t *)w)[i] = c;
		text[i] = (char)(i < n && c >= 0x20 && c < 0x7f ? c : '.');
	}
	text[n < 16 ? n : 16] = 0;
	kprintf("dump: %016lx: %016lx %016lx |%s|\n", addr, w[0], w[1], text);
}

static bool dump_size(struct kdb_args *a, unsigned at, uint64_t *n)
{
	*n = 64;
	if (a->n > at && (!kdb_number(a->v[at], n) || !*n)) {
		kprintf("kdb: bad size '%s'\n", a->v[at]);
		return false;
	}
	if (*n > DUMP_MAX)
		*n = DUMP_MAX;
	return true;
}

void kdb_cmd_dump_phys(struct kdb_args *a)
{
	uint64_t pa, n;
	if (a->n < 2 || !kdb_number(a->v[1], &pa) || !dump_size(a, 2, &n)) {
		kprintf("kdb: dp PHYS [BYTES]\n");
		return;
	}
	for (uint64_t at = pa & ~15ul; at < pa + n; at += 16) {
		const uint8_t *p = phys_to_virt(at);
		if (!vm_kernel_readable(p) || !vm_kernel_readable(p + 15)) {
			kprintf("dump: physical 0x%lx is not in the direct map\n", at);
			return;
		}
		dump_line(at, p, 16);
	}
}

void kdb_cmd_dump_virt(struct kdb_args *a)
{
	struct task *t = kdb_task(a->n > 1 ? a->v[1] : ".");
	uint64_t va, n;
	if (!t)
		return;
	if (a->n < 3 || !kdb_number(a->v[2], &va) || !dump_size(a, 3, &n)) {
		kprintf("kdb: dv TASK ADDR [BYTES]\n");
		return;
	}
	for (uint64_t at = va & ~15ul; at < va + n; at += 16) {
		uint8_t line[16];
		unsigned got = 0;
		for (; got < 16; got++) {
			uint64_t pa = at + got;
			unsigned prot;
			if (!t->phys_space && !vm_lookup(&t->vm, at + got, &pa, &prot))
				break;
			if (!t->phys_space)
				pa += (at + got) & 0xfff; /* vm_lookup gives the page */
			const uint8_t *p = phys_to_virt(pa);
			if (!vm_kernel_readable(p))
				break;
			line[got] = *p;
		}
		if (!got) {
			kprintf("dump: task %u '%s' has nothing mapped at 0x%lx\n", t->id, t->name, at);
			return;
		}
		dump_line(at, line, got);
		if (got < 16)
			return;
	}
}
