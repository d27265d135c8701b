/* The X.2 program loader (<x2_load.h>), written against the X.2
 * interface and the tree's ELF check (lib/elf.c) only: what an X.2 root
 * server does to run a boot module in a space of its own. */
#include <elf.h>
#include <string.h>

#include <l4/ipc.h>
#include <l4/kip.h>
#include <l4/message.h>
#include <l4/sigma0.h>
#include <l4/space.h>
#include <l4/thread.h>
#include <x2_load.h>

#define PAGE 4096ul
#define PAGE_DOWN(a) ((a) & ~(PAGE - 1))
#define PAGE_UP(a) (((a) + PAGE - 1) & ~(PAGE - 1))

/* Pages for the programs' copies, from sigma0 into this space (the root
 * server's) at POOL_AREA, and reused once a program ended: sigma0 takes
 * nothing back. Shared by every program this space loads. */
#define POOL_AREA 0x7b0000000000ul
#define POOL_PAGES 2048
static struct {
	unsigned mapped; /* pages POOL_AREA.. that sigma0 gave */
	unsigned char used[POOL_PAGES];
} pool;

static L4_Word_t page_alloc(void)
{
	for (unsigned k = 0; k < pool.mapped; k++)
		if (!pool.used[k]) {
			pool.used[k] = 1;
			return POOL_AREA + k * PAGE;
		}
	if (pool.mapped == POOL_PAGES)
		return 0;
	L4_Word_t at = POOL_AREA + pool.mapped * PAGE;
	L4_ThreadId_t s0 = L4_GlobalId(L4_ThreadIdUserBase(L4_GetKernelInterface()), 1);
	if (L4_IsNilFpage(L4_Sigma0_GetAny(s0, 12, L4_FpageLog2(at, 12))))
		return 0;
	pool.used[pool.mapped++] = 1;
	return at;
}

static void page_free(L4_Word_t a)
{
	pool.used[(a - POOL_AREA) / PAGE] = 0;
}

const char *x2_load_error_string(int e)
{
	static const char *const s[] = {
		[X2_LOAD_OK] = "ok",
		[X2_LOAD_NOT_ELF] = "not an ELF executable",
		[X2_LOAD_TRUNCATED] = "truncated module",
		[X2_LOAD_BAD_ELF] = "ELF executable not loadable",
		[X2_LOAD_BAD_LAYOUT] = "segments over the stack, KIP or UTCB area",
		[X2_LOAD_NO_SPACE] = "ThreadControl or SpaceControl failed",
		[X2_LOAD_NO_MEMORY] = "out of memory",
		[X2_LOAD_BAD_FAULT] = "a fault outside the program",
	};
	return e >= 0 && (unsigned)e < sizeof(s) / sizeof(s[0]) ? s[e] : "unknown error";
}

int x2_load_check(x2_program_t *p, const void *image, L4_Word_t size)
{
	struct elf_image img;
	memset(p, 0, sizeof(*p));
	p->image = (L4_Word_t)image;
	p->size = size;
	/* Programs live below the loader's stack area. */
	enum elf_error e = elf_validate(image, size, PAGE, X2_LOAD_STACK_TOP - X2_LOAD_STACK_SIZE, &img);
	p->why = elf_error_name(e);
	if (e == ELF_BAD_MAGIC || (e == ELF_TOO_SMALL && (size < 4 || memcmp(image, "\177ELF", 4) != 0)))
		return X2_LOAD_NOT_ELF;
	if (e == ELF_TOO_SMALL || e == ELF_SEGMENT_OUT_OF_FILE)
		return X2_LOAD_TRUNCATED;
	if (e == ELF_BAD_PHDRS) {
		/* The program headers past the end: cut short, not malformed. */
		const unsigned char *b = image;
		L4_Word_t phoff, phnum = (L4_Word_t)b[56] | (L4_Word_t)b[57] << 8;
		memcpy(&phoff, b + 32, sizeof(phoff));
		return phoff < size && phoff + phnum * 56 > size ? X2_LOAD_TRUNCATED : X2_LOAD_BAD_ELF;
	}
	if (e != ELF_OK)
		return X2_LOAD_BAD_ELF;
	if (img.count > X2_LOAD_MAX_SEGS)
		return X2_LOAD_BAD_ELF;
	p->entry = img.entry;
	p->nseg = img.count;
	for (unsigned k = 0; k < img.count; k++) {
		const struct elf_segment *s = &img.seg[k];
		unsigned r = elf_rights(s->flags); /* R 1, W 2, X 4 */
		p->seg[k] = (x2_segment_t){ s->vaddr, s->memsz, s->offset, s->filesz,
					    (r & 1 ? L4_Readable : 0) | (r & 2 ? L4_Writable : 0) |
						    (r & 4 ? L4_eXecutable : 0) };
	}
	return X2_LOAD_OK;
}

static int overlaps(const x2_program_t *p, L4_Fpage_t f)
{
	L4_Word_t a = L4_Address(f), end = a + L4_Size(f);
	for (unsigned k = 0; k < p->nseg; k++) {
		L4_Word_t s = PAGE_DOWN(p->seg[k].vaddr), e = PAGE_UP(p->seg[k].vaddr + p->seg[k].memsz);
		if (s < end && a < e)
			return 1;
	}
	return a < X2_LOAD_STACK_TOP && X2_LOAD_STACK_TOP - X2_LOAD_STACK_SIZE < end;
}

int x2_load_start(x2_program_t *p, L4_ThreadId_t thread, L4_ThreadId_t pager, L4_Fpage_t kip_area,
		  L4_Fpage_t utcb_area)
{
	if (overlaps(p, kip_area) || overlaps(p, utcb_area))
		return X2_LOAD_BAD_LAYOUT;
	L4_Word_t old, d;
	L4_ThreadId_t t;
	p->thread = thread;
	/* X.2's way: the thread (inactive), its space, then the thread with
	 * its pager and UTCB, and the start at the entry. */
	if (!L4_ThreadControl(thread, thread, L4_Myself(), L4_nilthread, (void *)-1)) {
		p->l4_error = L4_ErrorCode();
		return X2_LOAD_NO_SPACE;
	}
	if (!L4_SpaceControl(thread, X2_SPACE_OWN_PROGRAM, kip_area, utcb_area, L4_nilthread, &old) ||
	    !L4_ThreadControl(thread, thread, L4_Myself(), pager, (void *)L4_Address(utcb_area)) ||
	    L4_IsNilThread(L4_ExchangeRegisters(thread, L4_ExReg_sp_ip | L4_ExReg_Resume, X2_LOAD_STACK_TOP,
						p->entry, 0, 0, L4_nilthread, &d, &d, &d, &d, &d, &t))) {
		p->l4_error = L4_ErrorCode();
		L4_ThreadControl(thread, L4_nilthread, L4_nilthread, L4_nilthread, (void *)-1);
		return X2_LOAD_NO_SPACE;
	}
	return X2_LOAD_OK;
}

/* This space's copy of the program's page at va (made on first use): the
 * segment's file bytes in it, zeros elsewhere. */
static L4_Word_t copy_of(x2_program_t *p, const x2_segment_t *s, L4_Word_t va)
{
	for (unsigned k = 0; k < p->npages; k++)
		if (p->page[k].vaddr == va)
			return p->page[k].copy;
	if (p->npages == X2_LOAD_MAX_PAGES)
		return 0;
	L4_Word_t c = page_alloc();
	if (!c)
		return 0;
	memset((void *)c, 0, PAGE);
	if (s) {
		L4_Word_t from = va > s->vaddr ? va : s->vaddr;
		L4_Word_t to = va + PAGE < s->vaddr + s->filesz ? va + PAGE : s->vaddr + s->filesz;
		if (from < to)
			memcpy((void *)(c + (from - va)),
			       (const void *)(p->image + s->offset + (from - s->vaddr)), to - from);
	}
	p->page[p->npages].vaddr = va;
	p->page[p->npages++].copy = c;
	return c;
}

int x2_load_pagefault(x2_program_t *p, L4_MsgTag_t tag)
{
	if (!L4_IsPagefault(tag) || L4_UntypedWords(tag) < 2)
		return X2_LOAD_BAD_FAULT;
	L4_Word_t addr;
	L4_StoreMR(1, &addr);
	L4_Word_t va = PAGE_DOWN(addr), src = 0, rights = 0;
	if (va >= X2_LOAD_STACK_TOP - X2_LOAD_STACK_SIZE && va < X2_LOAD_STACK_TOP) {
		src = copy_of(p, 0, va);
		rights = L4_ReadWriteOnly;
	} else {
		const x2_segment_t *s = 0;
		for (unsigned k = 0; k < p->nseg && !s; k++)
			if (va >= PAGE_DOWN(p->seg[k].vaddr) &&
			    va < PAGE_UP(p->seg[k].vaddr + p->seg[k].memsz))
				s = &p->seg[k];
		if (!s)
			return X2_LOAD_BAD_FAULT;
		rights = s->rights;
		/* Read-only pages are the module's own when they lie in it
		 * page for page (the program's bytes only: no bss in them). */
		L4_Word_t in_file = p->image + s->offset + (va - s->vaddr);
		if (!(s->rights & L4_Writable) && ((p->image + s->offset - s->vaddr) & (PAGE - 1)) == 0 &&
		    va + PAGE <= PAGE_UP(s->vaddr + s->filesz) && s->filesz == s->memsz)
			src = in_file;
		else
			src = copy_of(p, s, va);
	}
	if (!src)
		return X2_LOAD_NO_MEMORY;
	L4_Msg_t m;
	L4_MsgClear(&m);
	L4_MsgAppendMapItem(&m, L4_MapItem(L4_FpageAddRights(L4_FpageLog2(src, 12), rights), va));
	L4_MsgLoad(&m);
	p->faults++;
	return X2_LOAD_OK;
}

void x2_load_end(x2_program_t *p)
{
	if (!L4_IsNilThread(p->thread))
		L4_ThreadControl(p->thread, L4_nilthread, L4_nilthread, L4_nilthread, (void *)-1);
	p->thread = L4_nilthread;
	for (unsigned k = 0; k < p->npages; k++)
		page_free(p->page[k].copy);
	p->npages = 0;
}
