/* The ELF program loader (see mica_loader.h): a new task with the
 * program's segments, its initial stack and capabilities, and the paging
 * and exit protocol it is served with. */
#include <mica/fpage.h>
#include <mica/kip.h>
#include <mica/layout.h>
#include <mica/program.h>
#include <mica/thread.h>
#include <mica_image.h>
#include <mica_loader.h>
#include <mica_obj.h>
#include <mica_sigma0.h>
#include <mica_sys.h>
#include <string.h>

#define PAGE 4096ul
#define STACK_BASE (MICA_BOOT_STACK_TOP - MICA_PROGRAM_STACK_MAX)

/* Reserves [at, at + size) of the loader's heap; maps memory there only
 * if `back` (the lazily filled stack is reserved, not backed). */
static int reserve(struct mica_loader *l, mica_word_t size, bool back, mica_word_t *at)
{
	size = (size + PAGE - 1) & ~(PAGE - 1);
	if (size > l->heap_end - l->heap)
		return MICA_E_NO_MEMORY;
	*at = l->heap;
	l->heap += size;
	for (mica_word_t va = *at, end = *at + size; back && va < end;) {
		unsigned s = mica_fit_log2(va, va, end - va); /* few requests */
		int e = mica_sigma0_ram(l->sigma0, va, s, MICA_FPAGE_RWX, 0);
		if (e != MICA_OK)
			return e;
		memset((void *)va, 0, 1ul << s); /* RAM from sigma0 is not cleared */
		va += 1ul << s;
	}
	return MICA_OK;
}

static int load_segments(struct mica_loader *l, const uint8_t *image, const struct elf_image *elf,
			 struct mica_program *p)
{
	for (unsigned i = 0; i < elf->count; i++) {
		const struct elf_segment *s = &elf->seg[i];
		struct mica_program_segment *d = &p->seg[p->nseg++];
		d->vaddr = s->vaddr & ~(PAGE - 1);
		d->pages = (s->vaddr + s->memsz - d->vaddr + PAGE - 1) / PAGE;
		d->rights = elf_rights(s->flags);
		int e = reserve(l, d->pages * PAGE, true, &d->here);
		if (e != MICA_OK)
			return e;
		memcpy((void *)(d->here + (s->vaddr - d->vaddr)), image + s->offset, s->filesz);
	}
	return MICA_OK;
}

/* The System V initial stack in the top page, written through the
 * loader's copy: strings, program headers (if no segment holds them) and
 * 16 random bytes at the top; below them auxv, envp, argv and argc, with
 * rsp (at argc) 16-byte aligned. */
static int build_stack(const uint8_t *image, const struct elf_image *elf, const char *const *argv,
		       const char *const *envp, struct mica_program *p)
{
	static const char *const none[] = { 0 };
	envp = envp ? envp : none;
	mica_word_t top = MICA_BOOT_STACK_TOP, here = p->stack_here + MICA_PROGRAM_STACK_MAX;
	mica_word_t sp = top; /* in the program's addresses */
	mica_word_t limit = top - PAGE;
#define PUSH_BYTES(src, n)                                                                                   \
	do {                                                                                                 \
		if (sp - limit < (n))                                                                        \
			return MICA_E_BAD_ARG;                                                               \
		sp -= (n);                                                                                   \
		memcpy((void *)(here - (top - sp)), (src), (n));                                             \
	} while (0)
	unsigned argc = 0, envc = 0;
	while (argv[argc])
		argc++;
	while (envp[envc])
		envc++;
	mica_word_t ptrs[2 * 64];
	if (argc + envc > 64 * 2 - 2)
		return MICA_E_BAD_ARG;
	for (unsigned i = envc; i-- > 0;) {
		PUSH_BYTES(envp[i], strlen(envp[i]) + 1);
		ptrs[argc + i] = sp;
	}
	for (unsigned i = argc; i-- > 0;) {
		PUSH_BYTES(argv[i], strlen(argv[i]) + 1);
		ptrs[i] = sp;
	}
	/* Not cryptographic: there is no entropy source yet. */
	uint64_t rnd[2];
	uint32_t lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	rnd[0] = (((uint64_t)hi << 32) | lo) * 0x9e3779b97f4a7c15ul;
	rnd[1] = rnd[0] ^ (p->label * 0xbf58476d1ce4e5b9ul);
	sp &= ~15ul;
	PUSH_BYTES(rnd, sizeof(rnd));
	mica_word_t random = sp;
	mica_word_t phdr = elf->phdr_addr;
	if (!phdr) {
		sp &= ~7ul;
		PUSH_BYTES(image + elf->phoff, elf->phnum * 56ul);
		phdr = sp;
	}
	mica_word_t aux[] = { MICA_AT_PHDR,   phdr,
			      MICA_AT_PHENT,  56,
			      MICA_AT_PHNUM,  elf->phnum,
			      MICA_AT_PAGESZ, PAGE,
			      MICA_AT_ENTRY,  elf->entry,
			      MICA_AT_RANDOM, random,
			      MICA_AT_KIP,    MICA_BOOT_KIP_ADDR,
			      MICA_AT_NULL,   0 };
	mica_word_t words = 1 + argc + 1 + envc + 1 + sizeof(aux) / 8;
	sp &= ~15ul;
	if (words & 1)
		sp -= 8; /* so that sp lands 16-byte aligned */
	PUSH_BYTES(aux, sizeof(aux));
	mica_word_t zero = 0;
	PUSH_BYTES(&zero, 8);
	PUSH_BYTES(&ptrs[argc], envc * 8ul);
	PUSH_BYTES(&zero, 8);
	PUSH_BYTES(ptrs, argc * 8ul);
	mica_word_t n = argc;
	PUSH_BYTES(&n, 8);
#undef PUSH_BYTES
	p->sp = sp;
	p->stack_present[MICA_PROGRAM_STACK_MAX / PAGE / 64 - 1] |= 1ul << 63; /* the top page */
	return MICA_OK;
}

/* The program's task, thread and capabilities: its task and thread, the
 * loader's gate as pager (which is also its exception handler) and
 * parent, the Vcon, and a factory of its own if it has a quota. */
static int create(struct mica_loader *l, struct mica_program *p)
{
	int e;
	if ((e = mica_create_task(l->factory, p->task, MICA_BOOT_UTCB_ADDR, MICA_BOOT_UTCB_AREA_LOG2)) ||
	    (e = mica_create_thread(l->factory, p->thread)) ||
	    (e = mica_cap_copy(p->task, p->task, MICA_CAP_TASK, MICA_RIGHTS_ALL, 0)) ||
	    (e = mica_cap_copy(p->task, p->thread, MICA_CAP_THREAD, MICA_RIGHTS_ALL, 0)) ||
	    (e = mica_cap_copy(p->task, l->gate, MICA_CAP_PAGER, MICA_GATE_R_SEND, p->label)) ||
	    (e = mica_cap_copy(p->task, l->gate, MICA_CAP_PARENT, MICA_GATE_R_SEND, p->label)) ||
	    (e = mica_cap_copy(p->task, MICA_CAP_VCON, MICA_CAP_VCON, MICA_VCON_R_WRITE | MICA_VCON_R_READ,
			       0)))
		return e;
	if (p->quota && ((e = mica_create_factory(l->factory, p->factory, p->quota)) ||
			 (e = mica_cap_copy(p->task, p->factory, MICA_CAP_FACTORY, MICA_RIGHTS_ALL, 0))))
		return e;
	if ((e = mica_map_range(p->task, MICA_CAP_TASK, MICA_BOOT_KIP_ADDR, MICA_BOOT_KIP_ADDR, MICA_KIP_SIZE,
				MICA_FPAGE_R)))
		return e;
	return mica_thread_control(p->thread,
				   MICA_THREAD_CTL_BIND | MICA_THREAD_CTL_PAGER | MICA_THREAD_CTL_EXC,
				   p->task, MICA_BOOT_UTCB_ADDR, MICA_CAP_PAGER, MICA_CAP_PAGER);
}

int mica_program_prepare(struct mica_loader *l, const void *image, mica_word_t size, const char *const *argv,
			 const char *const *envp, struct mica_program *p)
{
	struct elf_image elf;
	p->nseg = 0;
	p->exited = false;
	p->status = 0;
	memset(p->stack_present, 0, sizeof(p->stack_present));
	p->elf_error = elf_validate(image, size, MICA_USER_MIN, STACK_BASE, &elf);
	if (p->elf_error != ELF_OK)
		return MICA_E_BAD_ARG;
	int e;
	if ((e = load_segments(l, image, &elf, p)) ||
	    (e = reserve(l, MICA_PROGRAM_STACK_MAX, false, &p->stack_here)) ||
	    (e = mica_sigma0_ram(l->sigma0, p->stack_here + MICA_PROGRAM_STACK_MAX - PAGE, 12, MICA_FPAGE_RW,
				 0)))
		return e;
	memset((void *)(p->stack_here + MICA_PROGRAM_STACK_MAX - PAGE), 0, PAGE);
	if ((e = build_stack(image, &elf, argv, envp, p)) || (e = create(l, p)))
		return e;
	p->entry = elf.entry;
	return MICA_OK;
}

int mica_program_start(struct mica_program *p)
{
	/* rdi = 0: the System V start, not a boot task's (user/lib/crt0.S). */
	return mica_thread_start(p->thread, p->entry, p->sp, 0);
}

int mica_program_load(struct mica_loader *l, const void *image, mica_word_t size, const char *const *argv,
		      const char *const *envp, struct mica_program *p)
{
	int e = mica_program_prepare(l, image, size, argv, envp, p);
	return e == MICA_OK ? mica_program_start(p) : e;
}

/* A page of the program: where the loader has it and with which rights;
 * stack pages are made on first touch. */
static int find_page(struct mica_loader *l, struct mica_program *p, mica_word_t va, mica_word_t *here,
		     mica_word_t *rights)
{
	for (unsigned i = 0; i < p->nseg; i++) {
		const struct mica_program_segment *s = &p->seg[i];
		if (va >= s->vaddr && va < s->vaddr + s->pages * PAGE) {
			*here = s->here + (va - s->vaddr);
			*rights = s->rights;
			return MICA_OK;
		}
	}
	if (va < STACK_BASE || va >= MICA_BOOT_STACK_TOP)
		return MICA_E_BAD_ARG;
	mica_word_t n = (va - STACK_BASE) / PAGE;
	*here = p->stack_here + n * PAGE;
	*rights = MICA_FPAGE_RW;
	if (!(p->stack_present[n / 64] & (1ul << (n % 64)))) {
		int e = mica_sigma0_ram(l->sigma0, *here, 12, MICA_FPAGE_RW, 0);
		if (e != MICA_OK)
			return e;
		memset((void *)*here, 0, PAGE);
		p->stack_present[n / 64] |= 1ul << (n % 64);
	}
	return MICA_OK;
}

bool mica_program_handle(struct mica_loader *l, struct mica_program *p, mica_msgtag_t tag, mica_word_t *mr,
			 mica_msgtag_t *answer)
{
	mica_word_t label = mica_msgtag_label(tag);
	if (label == MICA_LABEL_PAGE_FAULT && mica_msgtag_u(tag) >= 3) {
		mica_word_t va = mr[0] & ~(PAGE - 1), access = mr[2] & MICA_FPAGE_RIGHTS, here, rights;
		int e = find_page(l, p, va, &here, &rights);
		if (e == MICA_OK && (access & rights) != access)
			e = MICA_E_NO_RIGHTS;
		if (e != MICA_OK) {
			*answer = mica_error_tag(
				(enum mica_error)e); /* it becomes an exception, and comes back */
			return true;
		}
		mr[0] = mica_item_mem(va, MICA_ITEM_MAP);
		mr[1] = mica_fpage_mem(here, 12, rights);
		*answer = mica_msgtag(0, 0, MICA_ITEM_WORDS, 0);
		return true;
	}
	if (label == MICA_LABEL_EXCEPTION && mica_msgtag_u(tag) >= MICA_EXC_WORDS) {
		p->status = MICA_EXIT_EXCEPTION + (int)mr[MICA_EXC_VECTOR];
		p->exited = true;
		return false;
	}
	if (label == MICA_PARENT_EXIT && mica_msgtag_u(tag) >= 1) {
		p->status = (int)mr[0];
		p->exited = true;
		return false;
	}
	*answer = mica_error_tag(MICA_E_UNKNOWN_OP);
	return true;
}

int mica_loader_serve(struct mica_loader *l, struct mica_program *const *programs, unsigned n,
		      unsigned running, void (*ended)(struct mica_program *p, const mica_word_t *mr))
{
	if (!running)
		return MICA_OK;
	mica_word_t *mr = mica_mr(), label;
	mica_msgtag_t tag = mica_wait(l->gate, MICA_TIMEOUT_NEVER, &label);
	while (running) {
		if (mica_msgtag_is_error(tag))
			return mica_error(tag);
		struct mica_program *p = label >= 1 && label <= n ? programs[label - 1] : 0;
		mica_msgtag_t answer = mica_error_tag(MICA_E_INVALID_CAP);
		if (p && !mica_program_handle(l, p, tag, mr, &answer)) {
			if (ended)
				ended(p, mr);
			mica_program_destroy(p);
			if (--running)
				tag = mica_wait(l->gate, MICA_TIMEOUT_NEVER, &label);
			continue;
		}
		tag = mica_ipc(0, answer, MICA_IPC_REPLY_WAIT, l->gate, 0, &label);
	}
	return MICA_OK;
}

void mica_program_destroy(struct mica_program *p)
{
	mica_task_destroy(p->task);
	mica_cap_delete(MICA_CAP_TASK, p->task);
	mica_cap_delete(MICA_CAP_TASK, p->thread);
	if (p->quota)
		mica_cap_delete(MICA_CAP_TASK, p->factory);
}
