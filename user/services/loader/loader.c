/* The loader and its program objects (loader.h; protocols: mica/program.h,
 * docs/protocols.md §6-§7): ELF programs from ROM dataspaces into
 * address spaces of region maps, the System V initial stack and the
 * environment page, and the reclaiming of everything when they end. */
#include <elf.h>
#include <mica/dataspace.h>
#include <mica/factory.h>
#include <mica/fpage.h>
#include <mica/gate.h>
#include <mica/kip.h>
#include <mica/layout.h>
#include <mica/rm.h>
#include <mica/thread.h>
#include <mica_image.h>
#include <mica_obj.h>
#include <rm/rm.h>
#include <stddef.h>
#include <string.h>

#include "loader.h"

#define PAGE 4096ul
#define PAGE_UP(x) (((x) + PAGE - 1) & ~(PAGE - 1))
#define STACK_BASE (MICA_BOOT_STACK_TOP - LDR_STACK_SIZE)
#define PREPARED (-1)

static const struct mica_srv_type prog_type;

struct ldr_prog *ldr_prog_of(struct mica_srv_obj *o)
{
	return o && o->type == &prog_type ? (struct ldr_prog *)o : 0;
}

static void drop_sel(struct ldr *l, mica_cap_t *sel)
{
	if (*sel) {
		mica_cap_delete(MICA_CAP_TASK, *sel);
		mica_srv_sel_free(l->m->srv, *sel);
		*sel = 0;
	}
}

/* Everything the program has goes; its object stays. The task first, so
 * no thread of it runs or faults while its memory goes. */
static void reclaim(struct ldr_prog *p)
{
	struct ldr *l = p->l;
	if (p->task)
		mica_task_destroy(p->task);
	if (p->sub) /* its region map and dataspaces with it */
		mem_alloc_delete(p->sub);
	p->sub = 0;
	p->rm = 0;
	p->stack = 0;
	p->nseg = 0;
	if (p->log)
		logsrv_close(p->log);
	p->log = 0;
	if (p->fs) /* its handles close; its files stay for others */
		ramfs_session_end(p->fs);
	p->fs = 0;
	drop_sel(l, &p->thread);
	drop_sel(l, &p->task);
	drop_sel(l, &p->kf); /* the kernel quota back to the starter's factory */
}

/* The program ends (once): reclaimed, its starter told. */
static void end(struct ldr_prog *p, int state, int status, mica_word_t vector, mica_word_t addr,
		mica_word_t ip)
{
	if (p->state != MICA_PROGRAM_RUNNING)
		return;
	p->state = state;
	p->status = status;
	p->vector = vector;
	p->addr = addr;
	p->ip = ip;
	reclaim(p);
	p->l->running--;
	if (p->irq)
		mica_irq_trigger(p->irq);
	if (p->l->ended)
		p->l->ended(p->l->ctx, p);
}

void ldr_delete(struct ldr_prog *p)
{
	struct ldr *l = p->l;
	if (p->state == MICA_PROGRAM_RUNNING)
		l->running--;
	reclaim(p);
	drop_sel(l, &p->irq);
	mem_disown(&p->own);
	mica_srv_remove(l->m->srv, &p->o);
	mem_obj_free(p->starter, p);
}

static void destroy_owned(struct mem_owned *w)
{
	ldr_delete((struct ldr_prog *)((char *)w - offsetof(struct ldr_prog, own)));
}

int ldr_cap(struct ldr_prog *p, unsigned rights, mica_cap_t *sel)
{
	return mica_srv_cap(p->l->m->srv, &p->o, rights, sel);
}

mica_word_t ldr_page(struct ldr_prog *p, mica_word_t va)
{
	for (unsigned i = 0; i < p->nseg; i++) {
		mica_word_t a;
		unsigned log2;
		if (va - p->seg[i].vaddr < p->seg[i].size &&
		    mem_ds_page(p->seg[i].ds, p->seg[i].offset + (va - p->seg[i].vaddr), false, &a, &log2) <=
			    MICA_OK) /* or SHARED */
			return a;
	}
	return 0;
}

/* Copies n bytes from src to offset off of ds (anonymous, backed here). */
static int ds_write(struct mem_ds *ds, mica_word_t off, const void *src, mica_word_t n)
{
	const char *s = src;
	while (n) {
		mica_word_t a;
		unsigned log2;
		int e = mem_ds_page(ds, off, true, &a, &log2);
		if (e != MICA_OK)
			return e;
		mica_word_t in = off & ((1ul << log2) - 1), k = (1ul << log2) - in;
		if (k > n)
			k = n;
		memcpy((void *)(a + in), s, k);
		s += k;
		off += k;
		n -= k;
	}
	return MICA_OK;
}

/* Text and read-only data whose file part is all of them are attached
 * straight from the module (shared by every instance); anything else
 * gets an anonymous dataspace with the file part copied in from the
 * module's dataspace (mem_ds_copy: its whole pages shared copy-on-write
 * with the module until the program writes them, charged only then;
 * the partial ones copied) and the rest zero on demand. */
static int load_segment(struct ldr_prog *p, const struct rom_module *mod, const struct elf_segment *s)
{
	mica_word_t va = s->vaddr & ~(PAGE - 1), size = PAGE_UP(s->vaddr + s->memsz) - va;
	mica_word_t rights = elf_rights(s->flags), at = va, off;
	struct mem_ds *ds;
	int e;
	if (p->nseg == LDR_SEGMENTS_MAX)
		return MICA_E_BAD_ARG;
	if (!(rights & MICA_FPAGE_W) && s->filesz == s->memsz && (s->vaddr - s->offset) % PAGE == 0) {
		ds = mod->ds;
		off = s->offset & ~(PAGE - 1);
		e = mem_rm_attach(p->rm, &at, size, off, rights, ds, MICA_DS_R_READ);
	} else {
		off = 0;
		if ((e = mem_ds_create(p->sub, size, 0, &ds)) != MICA_OK ||
		    (s->filesz &&
		     (e = mem_ds_copy(ds, s->vaddr - va, mod->ds, s->offset, s->filesz)) != MICA_OK))
			return e;
		e = mem_rm_attach(p->rm, &at, size, 0, rights, ds, MICA_DS_R_READ | MICA_DS_R_WRITE);
	}
	if (e != MICA_OK)
		return e;
	p->seg[p->nseg].vaddr = va;
	p->seg[p->nseg].size = size;
	p->seg[p->nseg].offset = off;
	p->seg[p->nseg].ds = ds;
	p->nseg++;
	return MICA_OK;
}

/* The System V initial stack in the stack's top page, written through
 * the server's copy: strings, the program headers (if no segment holds
 * them) and 16 random bytes at the top; below them auxv, envp, argv and
 * argc, with rsp (at argc) 16-byte aligned. */
static int build_stack(struct ldr_prog *p, const uint8_t *image, const struct elf_image *elf,
		       const char *const *argv, const char *const *envp)
{
	mica_word_t here;
	unsigned log2;
	int e = mem_ds_page(p->stack, LDR_STACK_SIZE - PAGE, true, &here, &log2);
	if (e != MICA_OK)
		return e;
	here += PAGE; /* the page's end, which is MICA_BOOT_STACK_TOP for the program */
	mica_word_t top = MICA_BOOT_STACK_TOP, sp = top, limit = top - PAGE;
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
	mica_word_t ptrs[2 * LDR_ARGS_MAX];
	if (argc > LDR_ARGS_MAX || envc > LDR_ARGS_MAX)
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
	rnd[1] = rnd[0] ^ ((mica_word_t)p * 0xbf58476d1ce4e5b9ul);
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
			      MICA_AT_ENV,    LDR_ENV_ADDR,
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
	return MICA_OK;
}

/* The stack (with its guard page reserved below it and the environment
 * page above it, read-only) and the areas the kernel's mappings use. */
static int layout(struct ldr_prog *p)
{
	mica_word_t at;
	int e;
	if ((e = mem_ds_create(p->sub, LDR_STACK_SIZE + PAGE, 0, &p->stack)) != MICA_OK)
		return e;
	if ((at = STACK_BASE, e = mem_rm_attach(p->rm, &at, LDR_STACK_SIZE, 0, MICA_FPAGE_RW, p->stack,
						MICA_DS_R_READ | MICA_DS_R_WRITE)) != MICA_OK ||
	    (at = LDR_ENV_ADDR, e = mem_rm_attach(p->rm, &at, PAGE, LDR_STACK_SIZE, MICA_FPAGE_R, p->stack,
						  MICA_DS_R_READ | MICA_DS_R_WRITE)) != MICA_OK ||
	    (at = LDR_GUARD_ADDR, e = mem_rm_reserve(p->rm, &at, PAGE, 0)) != MICA_OK ||
	    (at = MICA_BOOT_KIP_ADDR, e = mem_rm_reserve(p->rm, &at, MICA_KIP_SIZE, 0)) != MICA_OK ||
	    (at = MICA_BOOT_UTCB_ADDR, e = mem_rm_reserve(p->rm, &at, 1ul << LDR_UTCB_AREA_LOG2, 0)) !=
		    MICA_OK)
		return e;
	return MICA_OK;
}

/* A server capability of ours to o with rights, copied into the program
 * at `at` (gate rights SEND and MAP). */
static int give_obj(struct ldr_prog *p, struct mica_srv_obj *o, unsigned rights, mica_cap_t at)
{
	mica_cap_t c;
	int e = mica_srv_cap(p->l->m->srv, o, rights, &c);
	if (e == MICA_OK &&
	    (e = mica_cap_copy(p->task, c, at, MICA_GATE_R_SEND | MICA_GATE_R_MAP, 0)) == MICA_OK)
		p->env.present |= 1u << at;
	return e;
}

int ldr_give(struct ldr_prog *p, const char *name, mica_cap_t at, mica_cap_t sel, mica_word_t rights)
{
	if (p->state != PREPARED)
		return MICA_E_EXISTS;
	struct mica_env_cap *c = &p->env.cap[p->env.count];
	if (name) {
		size_t n = strlen(name);
		if (!n || n > MICA_ENV_NAME_MAX)
			return MICA_E_BAD_ARG;
		if (p->env.count == MICA_ENV_CAPS_MAX)
			return MICA_E_NO_MEMORY;
		at = MICA_CAP_NAMED + p->env.count;
		memcpy(c->name, name, n + 1);
	} else if (at == 0 || at >= MICA_CAP_NAMED) {
		return MICA_E_BAD_ARG;
	}
	int e = mica_cap_copy(p->task, sel, at, rights, 0);
	if (e != MICA_OK)
		return e;
	if (name) {
		c->sel = at;
		c->rights = rights;
		p->env.count++;
		p->env.first_free = MICA_CAP_NAMED + p->env.count;
	} else {
		p->env.present |= 1u << at;
	}
	return MICA_OK;
}

/* The program's task, thread and capabilities; its pager is its region
 * map, its exception handler its program object. */
static int make_task(struct ldr_prog *p, const struct ldr_params *pp)
{
	struct ldr *l = p->l;
	struct mica_srv *s = l->m->srv;
	mica_cap_t rmtask;
	int e;
	if (!(p->kf = mica_srv_sel_alloc(s)) || !(p->task = mica_srv_sel_alloc(s)) ||
	    !(p->thread = mica_srv_sel_alloc(s)))
		return MICA_E_NO_MEMORY;
	if ((e = mica_create_factory(pp->factory, p->kf, pp->kern_quota)) != MICA_OK ||
	    (e = mica_create_task(p->kf, p->task, MICA_BOOT_UTCB_ADDR, LDR_UTCB_AREA_LOG2)) != MICA_OK ||
	    (e = mica_create_thread(p->kf, p->thread)) != MICA_OK)
		return e;
	if (!(rmtask = mica_srv_sel_alloc(s)))
		return MICA_E_NO_MEMORY;
	if ((e = mica_cap_copy(MICA_CAP_TASK, p->task, rmtask, MICA_RIGHTS_ALL, 0)) != MICA_OK) {
		mica_srv_sel_free(s, rmtask);
		return e;
	}
	/* The map owns rmtask from now on (its capability and selector),
	 * also if this fails. */
	if ((e = mem_rm_create(p->sub, rmtask, &p->rm)) != MICA_OK)
		return e;
	p->env.magic = MICA_ENV_MAGIC;
	p->env.first_free = MICA_CAP_NAMED;
	p->env.present = 1u << MICA_CAP_TASK | 1u << MICA_CAP_THREAD | 1u << MICA_CAP_FACTORY;
	if ((e = mica_cap_copy(p->task, p->task, MICA_CAP_TASK, MICA_RIGHTS_ALL, 0)) != MICA_OK ||
	    (e = mica_cap_copy(p->task, p->thread, MICA_CAP_THREAD, MICA_RIGHTS_ALL, 0)) != MICA_OK ||
	    (e = mica_cap_copy(p->task, p->kf, MICA_CAP_FACTORY, MICA_RIGHTS_ALL, 0)) != MICA_OK ||
	    /* CONTROL: the kernel's page faults need it (a program that
	     * deletes its own map with it only ends itself). */
	    (e = give_obj(p, mem_rm_obj(p->rm), MICA_RM_R_READ | MICA_RM_R_WRITE | MICA_RM_R_CONTROL,
			  MICA_CAP_RM)) != MICA_OK ||
	    (e = give_obj(p, &p->o, MICA_PROGRAM_R_WRITE, MICA_CAP_PARENT)) != MICA_OK ||
	    (e = give_obj(p, &p->sub->o, MICA_SRV_R_READ | MICA_SRV_R_WRITE, MICA_CAP_MEM)) != MICA_OK ||
	    (e = give_obj(p, &l->rom->o, MICA_ROM_R_READ, MICA_CAP_ROM)) != MICA_OK)
		return e;
	if (p->log && (e = give_obj(p, &p->log->o, MICA_LOG_R_WRITE, MICA_CAP_LOG)) != MICA_OK)
		return e;
	/* A full file system is no reason to refuse a program: it goes
	 * without /tmp. */
	if (l->fs && ramfs_session_new(l->fs, LDR_FS_QUOTA, &p->fs) == MICA_OK &&
	    (e = give_obj(p, &p->fs->o, MICA_FS_R_READ | MICA_FS_R_WRITE, MICA_CAP_FS)) != MICA_OK)
		return e;
	if (l->vcon) {
		if ((e = mica_cap_copy(p->task, l->vcon, MICA_CAP_VCON, MICA_VCON_R_WRITE | MICA_VCON_R_READ,
				       0)) != MICA_OK)
			return e;
		p->env.present |= 1u << MICA_CAP_VCON;
	}
	if ((e = mica_map_range(p->task, MICA_CAP_TASK, l->kip, MICA_BOOT_KIP_ADDR, MICA_KIP_SIZE,
				MICA_FPAGE_R)) != MICA_OK)
		return e;
	return mica_thread_control(p->thread,
				   MICA_THREAD_CTL_BIND | MICA_THREAD_CTL_PAGER | MICA_THREAD_CTL_EXC,
				   p->task, MICA_BOOT_UTCB_ADDR, MICA_CAP_RM, MICA_CAP_PARENT);
}

static int build(struct ldr_prog *p, const struct ldr_params *pp, const struct rom_module *mod,
		 int *elf_error)
{
	static const char *const none[] = { 0 };
	const char *argv0[] = { mod->name, 0 };
	struct elf_image elf;
	int e;
	*elf_error = elf_validate((const void *)mod->addr, mod->size, MICA_USER_MIN, LDR_GUARD_ADDR, &elf);
	if (*elf_error != ELF_OK)
		return MICA_E_BAD_ARG;
	if ((e = mem_alloc_create(p->starter, pp->mem_quota, &p->sub)) != MICA_OK)
		return e;
	if (p->l->log && !pp->no_log) {
		static unsigned colour;
		colour = colour % (MICA_LOG_COLOURS - 1) + 1;
		if ((e = logsrv_open(p->l->log, mod->name, (unsigned)strlen(mod->name), colour, &p->log)) !=
		    MICA_OK)
			return e;
	}
	if ((e = make_task(p, pp)) != MICA_OK || (e = layout(p)) != MICA_OK)
		return e;
	for (unsigned i = 0; i < elf.count; i++)
		if ((e = load_segment(p, mod, &elf.seg[i])) != MICA_OK)
			return e;
	p->entry = elf.entry;
	return build_stack(p, (const uint8_t *)mod->addr, &elf, pp->argv ? pp->argv : argv0,
			   pp->envp ? pp->envp : none);
}

int ldr_prepare(struct ldr *l, const struct ldr_params *pp, struct ldr_prog **out, int *elf_error)
{
	const struct rom_module *mod = pp->module ? pp->module : rom_find(l->rom, pp->name, strlen(pp->name));
	void *page;
	*elf_error = ELF_OK;
	if (!mod)
		return MICA_E_NOT_FOUND;
	int e = mem_obj_new(pp->alloc, &page);
	if (e != MICA_OK)
		return e;
	struct ldr_prog *p = page;
	if ((e = mica_srv_add(l->m->srv, &p->o, &prog_type)) != MICA_OK) {
		mem_obj_free(pp->alloc, page);
		return e;
	}
	p->l = l;
	p->starter = pp->alloc;
	p->state = PREPARED;
	p->placed = false;
	p->sched_done = false;
	memcpy(p->name, mod->name, sizeof(p->name));
	mem_own(pp->alloc, &p->own, destroy_owned);
	if ((e = build(p, pp, mod, elf_error)) != MICA_OK) {
		ldr_delete(p);
		return e;
	}
	*out = p;
	return MICA_OK;
}

int ldr_place(struct ldr_prog *p, unsigned prio)
{
	return ldr_place_on(p, prio, 0);
}

int ldr_place_on(struct ldr_prog *p, unsigned prio, unsigned cpu)
{
	if (p->state != PREPARED)
		return MICA_E_EXISTS;
	int e = mica_sched_run_thread(p->l->sched, p->thread, prio, MICA_SCHED_DEFAULT_SLICE_NS, cpu);
	if (e == MICA_OK) {
		p->placed = true;
		p->prio = prio;
	}
	return e;
}

int ldr_give_sched(struct ldr_prog *p, unsigned ceiling)
{
	return ldr_give_sched_on(p, ceiling, ~0ul);
}

int ldr_give_sched_on(struct ldr_prog *p, unsigned ceiling, mica_word_t cpus)
{
	if (p->state != PREPARED)
		return MICA_E_EXISTS;
	mica_cap_t sel = mica_srv_sel_alloc(p->l->m->srv);
	if (!sel)
		return MICA_E_NO_MEMORY;
	/* The program's capability keeps the new scheduler; ours goes. */
	int e = mica_sched_create_on(p->l->sched, p->kf, sel, ceiling, cpus);
	if (e == MICA_OK)
		e = ldr_give(p, 0, MICA_CAP_SCHEDULER, sel, MICA_SCHED_R_READ | MICA_SCHED_R_WRITE);
	drop_sel(p->l, &sel);
	if (e == MICA_OK)
		p->sched_done = true;
	return e;
}

int ldr_no_sched(struct ldr_prog *p)
{
	if (p->state != PREPARED)
		return MICA_E_EXISTS;
	p->sched_done = true;
	return MICA_OK;
}

/* The default: a scheduler up to the main thread's own priority; the
 * shared one at the default priority (ldr_init's), a program's own at
 * any other. */
static int default_sched(struct ldr_prog *p)
{
	struct ldr *l = p->l;
	if (p->prio != MICA_SCHED_DEFAULT_PRIO)
		return ldr_give_sched(p, p->prio);
	return ldr_give(p, 0, MICA_CAP_SCHEDULER, l->prog_sched, MICA_SCHED_R_READ | MICA_SCHED_R_WRITE);
}

int ldr_start(struct ldr_prog *p)
{
	if (p->state != PREPARED)
		return MICA_E_EXISTS;
	int e = p->placed ? MICA_OK : ldr_place(p, MICA_SCHED_DEFAULT_PRIO);
	if (e == MICA_OK && !p->sched_done && (e = default_sched(p)) == MICA_OK)
		p->sched_done = true;
	if (e == MICA_OK)
		e = ds_write(p->stack, LDR_STACK_SIZE, &p->env, sizeof(p->env));
	if (e != MICA_OK)
		return e;
	/* Running before the START: a thread placed above the caller runs at
	 * once and may end (EXIT through another serving thread) before
	 * START returns; nothing ran if START fails. */
	p->state = MICA_PROGRAM_RUNNING;
	p->l->running++;
	/* rdi = 0: the System V start, not a boot task's (user/lib/crt0.S). */
	if ((e = mica_thread_start(p->thread, p->entry, p->sp, 0)) != MICA_OK) {
		p->state = PREPARED;
		p->l->running--;
	}
	return e;
}

/* ---- the program object ---- */

static int m_exit(struct mica_srv_req *r)
{
	end((struct ldr_prog *)r->obj, MICA_PROGRAM_EXITED, (int)r->in[0], 0, 0, 0);
	return MICA_OK; /* the caller is gone: the reply goes nowhere */
}

static int m_exception(struct mica_srv_req *r)
{
	end((struct ldr_prog *)r->obj, MICA_PROGRAM_FAULTED,
	    MICA_EXIT_EXCEPTION + (int)r->in[MICA_EXC_VECTOR], r->in[MICA_EXC_VECTOR], r->in[MICA_EXC_ADDR],
	    r->in[MICA_EXC_IP]);
	return MICA_OK;
}

static int m_status(struct mica_srv_req *r)
{
	struct ldr_prog *p = (struct ldr_prog *)r->obj;
	mica_srv_ret(r, p->state == PREPARED ? MICA_PROGRAM_RUNNING : (mica_word_t)p->state);
	mica_srv_ret(r, (mica_word_t)p->status);
	mica_srv_ret(r, p->vector);
	mica_srv_ret(r, p->addr);
	mica_srv_ret(r, p->ip);
	return MICA_OK;
}

static int m_notify(struct mica_srv_req *r)
{
	struct ldr_prog *p = (struct ldr_prog *)r->obj;
	mica_cap_t c = mica_srv_take_cap(r);
	mica_word_t type = MICA_OBJ_NONE, rights = 0;
	if (!c)
		return MICA_E_BAD_ARG;
	/* A trigger is a call: to anything but an IRQ (a gate to a thread
	 * of the starter's) it would make the serving thread wait on the
	 * starter. One without WRITE could not be triggered at all. */
	if (mica_cap_info(MICA_CAP_TASK, c, &type, &rights) != MICA_OK || type != MICA_OBJ_IRQ ||
	    !(rights & MICA_IRQ_R_WRITE)) {
		int e = type == MICA_OBJ_IRQ ? MICA_E_NO_RIGHTS : MICA_E_BAD_ARG;
		drop_sel(p->l, &c);
		return e;
	}
	drop_sel(p->l, &p->irq);
	p->irq = c;
	if (p->state == MICA_PROGRAM_EXITED || p->state == MICA_PROGRAM_FAULTED)
		mica_irq_trigger(c);
	return MICA_OK;
}

static int m_delete(struct mica_srv_req *r)
{
	ldr_delete((struct ldr_prog *)r->obj);
	return MICA_OK;
}

/* ---- setting up a held program (MICA_PROTO_PROGRAM_HELD) ---- */

/* The n bytes packed from in[0] into buf (n < size), NUL-terminated:
 * MICA_OK, or BAD_ARG if they are past the words sent. */
static int unpack(const struct mica_srv_req *r, unsigned first, mica_word_t n, char *buf, size_t size)
{
	if (n >= size || n > (mica_word_t)(r->n - first) * sizeof(mica_word_t))
		return MICA_E_BAD_ARG;
	memcpy(buf, &r->in[first], n);
	buf[n] = 0;
	return strlen(buf) == n ? MICA_OK : MICA_E_BAD_ARG;
}

static int m_give(struct mica_srv_req *r)
{
	struct ldr_prog *p = (struct ldr_prog *)r->obj;
	char name[MICA_ENV_NAME_MAX + 1];
	mica_word_t at = r->in[0];
	int e;
	mica_cap_t sel = r->rcv;
	if (p->state != PREPARED)
		return MICA_E_EXISTS;
	/* An object of this server arrives as its local id: the program
	 * gets a capability minted with the rights the sender had. */
	if (!sel && r->local && (e = mica_srv_cap(r->srv, r->local, r->local_rights, &sel)) != MICA_OK)
		return e;
	if (!sel)
		return MICA_E_BAD_ARG;
	if (at == 0) {
		if (r->in[1] == 0 || unpack(r, 2, r->in[1], name, sizeof(name)) != MICA_OK)
			return MICA_E_BAD_ARG;
		for (unsigned i = 0; i < p->env.count; i++)
			if (strcmp(p->env.cap[i].name, name) == 0)
				return MICA_E_EXISTS;
	} else if (at != MICA_CAP_ICU && at != MICA_CAP_LOADER) {
		return MICA_E_BAD_ARG;
	} else if (p->env.present & (1u << at)) {
		return MICA_E_EXISTS;
	}
	/* The window's capability is deleted after the request: the
	 * program keeps its own copy. */
	return ldr_give(p, at ? 0 : name, (mica_cap_t)at, sel, MICA_RIGHTS_ALL);
}

static int m_sched(struct mica_srv_req *r)
{
	struct ldr_prog *p = (struct ldr_prog *)r->obj;
	mica_word_t prio = r->in[0], cpu = r->in[1], ceiling = r->in[2];
	mica_word_t cpus = r->n >= 4 ? r->in[3] : 0; /* 0: every CPU */
	int e;
	if (p->state != PREPARED)
		return MICA_E_EXISTS;
	if (prio >= MICA_SCHED_PRIOS || cpu >= 64 || (cpus && !(cpus >> cpu & 1)) ||
	    (ceiling >= MICA_SCHED_PRIOS && ceiling != MICA_PROGRAM_SCHED_DEFAULT &&
	     ceiling != MICA_PROGRAM_SCHED_NONE) ||
	    p->placed || p->sched_done)
		return MICA_E_BAD_ARG;
	if ((e = ldr_place_on(p, (unsigned)prio, (unsigned)cpu)) != MICA_OK)
		return e;
	if (ceiling == MICA_PROGRAM_SCHED_NONE)
		return ldr_no_sched(p);
	/* A CPU set needs a scheduler of the program's own that keeps its
	 * threads there (the shared one places them anywhere). */
	if (ceiling != MICA_PROGRAM_SCHED_DEFAULT || cpus)
		return ldr_give_sched_on(
			p, ceiling == MICA_PROGRAM_SCHED_DEFAULT ? (unsigned)prio : (unsigned)ceiling,
			cpus ? cpus : ~0ul);
	return MICA_OK;
}

static int m_task(struct mica_srv_req *r)
{
	struct ldr_prog *p = (struct ldr_prog *)r->obj;
	if (p->state != PREPARED)
		return MICA_E_EXISTS;
	mica_srv_ret_cap(r, p->task, MICA_TASK_R_WRITE, MICA_ITEM_MAP);
	return MICA_OK;
}

static int m_log(struct mica_srv_req *r)
{
	struct ldr_prog *p = (struct ldr_prog *)r->obj;
	char tag[MICA_LOG_TAG_MAX + 1];
	mica_word_t colour = r->in[0], n = r->in[1];
	struct logsrv_log *log = 0;
	int e;
	if (p->state != PREPARED)
		return MICA_E_EXISTS;
	if (colour != MICA_PROGRAM_LOG_VCON) {
		if (colour >= MICA_LOG_COLOURS || !p->l->log)
			return MICA_E_BAD_ARG;
		if (n == 0) {
			memcpy(tag, p->name, sizeof(p->name) < sizeof(tag) ? sizeof(p->name) : sizeof(tag));
			tag[MICA_LOG_TAG_MAX] = 0;
		} else if ((e = unpack(r, 2, n, tag, sizeof(tag))) != MICA_OK) {
			return e;
		}
		if ((e = logsrv_open(p->l->log, tag, (unsigned)strlen(tag), (unsigned)colour, &log)) !=
		    MICA_OK)
			return e;
	}
	/* Closing revokes the program's capability to the old log. */
	if (p->log)
		logsrv_close(p->log);
	p->log = 0;
	p->env.present &= ~(1u << MICA_CAP_LOG);
	if (log) {
		p->log = log;
		if ((e = give_obj(p, &log->o, MICA_LOG_R_WRITE, MICA_CAP_LOG)) != MICA_OK)
			return e;
	}
	return MICA_OK;
}

static int m_start(struct mica_srv_req *r)
{
	return ldr_start((struct ldr_prog *)r->obj);
}

static const struct mica_srv_method prog_methods[] = {
	{ MICA_PARENT_EXIT, 1, MICA_PROGRAM_R_WRITE, m_exit },
	{ MICA_LABEL_EXCEPTION, MICA_EXC_WORDS, MICA_PROGRAM_R_WRITE, m_exception },
	{ MICA_PROGRAM_STATUS, 0, MICA_PROGRAM_R_READ, m_status },
	{ MICA_PROGRAM_NOTIFY, 0, MICA_PROGRAM_R_CONTROL, m_notify },
	{ MICA_OBJ_DELETE, 0, MICA_PROGRAM_R_CONTROL, m_delete },
	{ MICA_PROGRAM_GIVE, 2, MICA_PROGRAM_R_CONTROL, m_give },
	{ MICA_PROGRAM_SCHED, 3, MICA_PROGRAM_R_CONTROL, m_sched },
	{ MICA_PROGRAM_TASK, 0, MICA_PROGRAM_R_CONTROL, m_task },
	{ MICA_PROGRAM_LOG, 2, MICA_PROGRAM_R_CONTROL, m_log },
	{ MICA_PROGRAM_START, 0, MICA_PROGRAM_R_CONTROL, m_start },
};

static const struct mica_srv_type prog_type = { "program", prog_methods,
						sizeof(prog_methods) / sizeof(prog_methods[0]), 0 };

/* ---- the loader's factory ---- */

/* The command of a CREATE: NUL-separated strings (argv, "", envp). */
struct command {
	char buf[(MICA_MSG_WORDS_MAX - 4) * sizeof(mica_word_t) + 1];
	const char *argv[LDR_ARGS_MAX + 1], *envp[LDR_ARGS_MAX + 1];
};

static int parse(struct command *c, const struct mica_srv_req *r)
{
	mica_word_t n = r->in[3];
	if (n == 0 || n > (mica_word_t)(r->n - 4) * sizeof(mica_word_t))
		return MICA_E_BAD_ARG;
	memcpy(c->buf, &r->in[4], n);
	c->buf[n] = 0;
	unsigned argc = 0, envc = 0;
	bool env = false;
	for (size_t i = 0; i < n;) {
		const char *s = &c->buf[i];
		size_t len = strlen(s);
		if (!len && !env) {
			env = true;
		} else if (len) {
			if ((env ? envc : argc) == LDR_ARGS_MAX)
				return MICA_E_BAD_ARG;
			if (env)
				c->envp[envc++] = s;
			else
				c->argv[argc++] = s;
		}
		i += len + 1;
	}
	c->argv[argc] = 0;
	c->envp[envc] = 0;
	return argc ? MICA_OK : MICA_E_BAD_ARG;
}

static int m_create(struct mica_srv_req *r)
{
	struct ldr *l = (struct ldr *)r->obj;
	struct mem_alloc *a = mem_alloc_of(r->local);
	struct command c;
	struct ldr_prog *p;
	mica_cap_t cap;
	int e, elf_error;
	mica_word_t type, rights;
	bool held = r->in[0] == MICA_PROTO_PROGRAM_HELD;
	if ((r->in[0] != MICA_PROTO_PROGRAM && !held) || !a || !r->rcv ||
	    mica_cap_info(MICA_CAP_TASK, r->rcv, &type, &rights) != MICA_OK || type != MICA_OBJ_FACTORY)
		return MICA_E_BAD_ARG;
	if (!(r->local_rights & MICA_SRV_R_WRITE) || !(rights & MICA_FACTORY_R_CREATE))
		return MICA_E_NO_RIGHTS;
	if ((e = parse(&c, r)) != MICA_OK)
		return e;
	struct ldr_params pp = { .name = c.argv[0],
				 .argv = c.argv,
				 .envp = c.envp,
				 .alloc = a,
				 .mem_quota = r->in[1],
				 .factory = r->rcv,
				 .kern_quota = r->in[2] };
	if ((e = ldr_prepare(l, &pp, &p, &elf_error)) != MICA_OK)
		return e;
	if ((e = ldr_cap(p, MICA_PROGRAM_R_READ | MICA_PROGRAM_R_CONTROL, &cap)) != MICA_OK ||
	    (!held && (e = ldr_start(p)) != MICA_OK)) {
		ldr_delete(p);
		return e;
	}
	mica_srv_ret_cap(r, cap, MICA_GATE_R_SEND | MICA_GATE_R_MAP, MICA_ITEM_MAP);
	return MICA_OK;
}

static const struct mica_srv_method ldr_methods[] = {
	{ MICA_FACTORY_CREATE, 4, MICA_SRV_R_WRITE, m_create },
};

static const struct mica_srv_type ldr_type = { "loader", ldr_methods,
					       sizeof(ldr_methods) / sizeof(ldr_methods[0]), 0 };

int ldr_init(struct ldr *l, struct mem *m, struct rom *rom, struct logsrv *log, mica_word_t kip,
	     mica_cap_t vcon, mica_cap_t sched)
{
	memset(l, 0, sizeof(*l));
	l->m = m;
	l->rom = rom;
	l->log = log;
	l->kip = kip;
	l->vcon = vcon;
	l->sched = sched;
	/* The scheduler programs at the default priority share, charged to
	 * the server task's factory. */
	if (!(l->prog_sched = mica_srv_sel_alloc(m->srv)))
		return MICA_E_NO_MEMORY;
	int e = mica_sched_create(sched, MICA_CAP_FACTORY, l->prog_sched, MICA_SCHED_DEFAULT_PRIO);
	if (e == MICA_OK)
		e = mica_srv_add(m->srv, &l->o, &ldr_type);
	if (e != MICA_OK)
		drop_sel(l, &l->prog_sched);
	return e;
}

void ldr_fini(struct ldr *l)
{
	drop_sel(l, &l->prog_sched);
	mica_srv_remove(l->m->srv, &l->o);
}
