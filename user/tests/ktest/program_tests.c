/* The loader (user/services/loader): programs from the ROM with
 * dataspaces and region maps, their environment, how they end, and the
 * exact return of their starter's quotas (the program is
 * user/tests/ldtest; exit0 and badelf are modules too). */
#include <elf.h>
#include <mica/factory.h>
#include <mica/layout.h>
#include <mica/program.h>
#include <mica_clock.h>
#include <stdbool.h>
#include <string.h>

#include "ldsrv.h"
#include "memsrv.h"
#include "servers.h"

#define MEMQ (512ul << 10)
#define KQ (200ul << 10)

/* Starts a literal command line through the loader and waits for its end. */
#define RUN(lit, st) kldr_run(MEMQ, KQ, (lit), sizeof(lit) - 1, (st))

/* ldtest's segment with exactly these ELF_SEG_* flags, from its image:
 * the cases do not depend on how big its code happens to be. */
static const struct elf_segment *ldtest_seg(uint32_t flags)
{
	static struct elf_image elf;
	const struct kmod *m = kmod_find("ldtest");
	if (!m || elf_validate((const void *)m->addr, m->size, MICA_USER_MIN, LDR_GUARD_ADDR, &elf) != ELF_OK)
		return 0;
	for (unsigned i = 0; i < elf.count; i++)
		if (elf.seg[i].flags == flags)
			return &elf.seg[i];
	return 0;
}

/* Whether addr lies in seg's pages. */
static bool in_seg(const struct elf_segment *seg, mica_word_t addr)
{
	return seg && addr >= (seg->vaddr & ~0xffful) && addr < seg->vaddr + seg->memsz;
}

static const char *find_ch(const char *s, char c, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] == c)
			return s + i;
	return 0;
}

static mica_word_t alloc_used(void)
{
	return kldr.root.used;
}

KTEST(loader_program_exits_with_its_status)
{
	CHECK(kldr_start(4ul << 20));
	mica_word_t st[5];
	CHECK_OK(RUN("ldtest\0status\0"
		     "42",
		     st));
	CHECK_EQ(st[0], MICA_PROGRAM_EXITED);
	CHECK_EQ(st[1], 42);
	CHECK_OK(RUN("exit0", st));
	CHECK_EQ(st[0], MICA_PROGRAM_EXITED);
	CHECK_EQ(st[1], 0);
	CHECK_EQ(kldr.ended, 2); /* the in-process callback too */
	CHECK(kldr_finish());
}

KTEST(loader_argv_envp_and_auxv_reach_it)
{
	CHECK(kldr_start(4ul << 20));
	mica_word_t st[5];
	CHECK_OK(RUN("ldtest\0env\0two words\0\0A=1\0B=two", st));
	CHECK_EQ(st[0], MICA_PROGRAM_EXITED);
	CHECK_EQ(st[1], 0);
	CHECK(kldr_finish());
}

/* The program's own allocator and region map work from inside it: a
 * dataspace of its quota, attached and used; it all goes at its end. */
KTEST(loader_program_uses_its_allocator_and_region_map)
{
	CHECK(kldr_start(4ul << 20));
	mica_word_t used = alloc_used(), st[5];
	CHECK_OK(RUN("ldtest\0attach", st));
	CHECK_EQ(st[0], MICA_PROGRAM_EXITED);
	CHECK_EQ(st[1], 0);
	CHECK_EQ(alloc_used(), used);
	CHECK(kldr_finish());
}

KTEST(loader_environment_page_is_read_only)
{
	CHECK(kldr_start(4ul << 20));
	mica_word_t st[5];
	CHECK_OK(RUN("ldtest\0envwrite", st));
	CHECK_EQ(st[0], MICA_PROGRAM_FAULTED);
	CHECK_EQ(st[2], 14);
	CHECK_EQ(st[3], LDR_ENV_ADDR);
	CHECK(kldr_finish());
}

/* Given by the in-process API, found by name, used. */
KTEST(loader_named_capabilities_reach_it)
{
	CHECK(kldr_start(4ul << 20));
	mica_cap_t gate;
	CHECK(start_echo(KTASK, 1, &gate));
	static const char *const argv[] = { "ldtest", "named", 0 };
	struct ldr_params pp = { .name = "ldtest",
				 .argv = argv,
				 .alloc = &kldr.root,
				 .mem_quota = MEMQ,
				 .factory = KF,
				 .kern_quota = KQ };
	struct ldr_prog *p;
	int elf_error;
	mica_cap_t pc;
	CHECK_OK(ldr_prepare(&kldr.l, &pp, &p, &elf_error));
	CHECK_ERR(ldr_give(p, "a-name-too-long-", 0, gate, MICA_GATE_R_SEND), MICA_E_BAD_ARG);
	CHECK_OK(ldr_give(p, "other", 0, gate, MICA_GATE_R_SEND));
	CHECK_OK(ldr_give(p, "echo", 0, gate, MICA_GATE_R_SEND));
	CHECK_EQ(p->env.count, 2);
	CHECK_EQ(p->env.cap[1].sel, MICA_CAP_NAMED + 1);
	CHECK_OK(ldr_cap(p, MICA_PROGRAM_R_READ | MICA_PROGRAM_R_CONTROL, &pc));
	CHECK_OK(ldr_start(p));
	CHECK_ERR(ldr_give(p, "late", 0, gate, MICA_GATE_R_SEND), MICA_E_EXISTS);
	mica_word_t st[5];
	CHECK_OK(kldr_wait(pc, st));
	CHECK_EQ(st[0], MICA_PROGRAM_EXITED);
	CHECK_EQ(st[1], 42); /* the echo server's MR0 + 1 */
	CHECK_OK(mica_obj_delete(pc));
	CHECK(kldr_finish());
}

/* Text and read-only data are the module's own frames in both; the
 * data pages are each instance's. */
KTEST(loader_instances_share_text_frames)
{
	CHECK(kldr_start(4ul << 20));
	const struct kmod *m = kmod_find("ldtest");
	CHECK(m);
	static const char *const argv[] = { "ldtest", "status", "0", 0 };
	struct ldr_params pp = { .name = "ldtest",
				 .argv = argv,
				 .alloc = &kldr.root,
				 .mem_quota = MEMQ,
				 .factory = KF,
				 .kern_quota = KQ };
	struct ldr_prog *a, *b;
	int elf_error;
	CHECK_OK(ldr_prepare(&kldr.l, &pp, &a, &elf_error));
	CHECK_OK(ldr_prepare(&kldr.l, &pp, &b, &elf_error));
	const struct elf_segment *tx = ldtest_seg(ELF_SEG_R | ELF_SEG_X), *rs = ldtest_seg(ELF_SEG_R),
				 *ws = ldtest_seg(ELF_SEG_R | ELF_SEG_W);
	CHECK(tx && rs && ws && tx->memsz > 0x1000);
	mica_word_t text = ldr_page(a, tx->vaddr), ro = ldr_page(a, rs->vaddr);
	CHECK_EQ(text, m->addr + (tx->offset & ~0xffful)); /* the module's own page */
	CHECK_EQ(ldr_page(b, tx->vaddr), text);
	CHECK_EQ(ldr_page(b, tx->vaddr + 0x1000), text + 0x1000);
	CHECK(ro && ro == ldr_page(b, rs->vaddr));
	mica_word_t da = ldr_page(a, ws->vaddr), db = ldr_page(b, ws->vaddr);
	CHECK(da && db && da != db);
	CHECK(!memcmp((const void *)(da + (ws->vaddr & 0xfff)), (const void *)(m->addr + ws->offset),
		      ws->filesz));
	mica_cap_t ca, cb;
	CHECK_OK(ldr_cap(a, MICA_PROGRAM_R_READ | MICA_PROGRAM_R_CONTROL, &ca));
	CHECK_OK(ldr_cap(b, MICA_PROGRAM_R_READ | MICA_PROGRAM_R_CONTROL, &cb));
	CHECK_OK(ldr_start(a));
	CHECK_OK(ldr_start(b));
	mica_word_t st[5];
	CHECK_OK(kldr_wait(ca, st));
	CHECK_EQ(st[1], 0);
	CHECK_OK(kldr_wait(cb, st));
	CHECK_EQ(st[1], 0);
	CHECK_OK(mica_obj_delete(ca));
	CHECK_OK(mica_obj_delete(cb));
	CHECK(kldr_finish());
}

/* Each instance writes its data, yields to the other, reads it back. */
KTEST(loader_data_is_private_to_each_instance)
{
	CHECK(kldr_start(4ul << 20));
	mica_cap_t a = ksel(), b = ksel();
	CHECK_OK(KLDR_RUN(kldr.alloc, MEMQ, KQ,
			  "ldtest\0data\0"
			  "11",
			  a));
	CHECK_OK(KLDR_RUN(kldr.alloc, MEMQ, KQ,
			  "ldtest\0data\0"
			  "22",
			  b));
	mica_word_t st[5];
	CHECK_OK(kldr_wait(a, st));
	CHECK_EQ(st[0], MICA_PROGRAM_EXITED);
	CHECK_EQ(st[1], 11);
	CHECK_OK(kldr_wait(b, st));
	CHECK_EQ(st[1], 22);
	CHECK_OK(mica_obj_delete(a));
	CHECK_OK(mica_obj_delete(b));
	CHECK(kldr_finish());
}

KTEST(loader_fault_outside_any_region_ends_it)
{
	CHECK(kldr_start(4ul << 20));
	mica_word_t st[5];
	CHECK_OK(RUN("ldtest\0null", st));
	CHECK_EQ(st[0], MICA_PROGRAM_FAULTED);
	CHECK_EQ(st[1], MICA_EXIT_EXCEPTION + 14);
	CHECK_EQ(st[2], 14);
	CHECK_EQ(st[3], 0x10);
	CHECK(in_seg(ldtest_seg(ELF_SEG_R | ELF_SEG_X), st[4])); /* in its text */
	CHECK(kldr_finish());
}

KTEST(loader_write_to_read_only_data_ends_it)
{
	CHECK(kldr_start(4ul << 20));
	mica_word_t st[5];
	CHECK_OK(RUN("ldtest\0rodata", st));
	CHECK_EQ(st[0], MICA_PROGRAM_FAULTED);
	CHECK_EQ(st[2], 14);
	CHECK(in_seg(ldtest_seg(ELF_SEG_R), st[3]));
	CHECK(in_seg(ldtest_seg(ELF_SEG_R | ELF_SEG_X), st[4]));
	CHECK(kldr_finish());
}

/* With the quota for the whole stack (1 MiB), the recursion reaches
 * the guard page below it. */
KTEST(loader_stack_overflow_hits_the_guard_page)
{
	CHECK(kldr_start(4ul << 20));
	mica_word_t st[5];
	mica_cap_t p = ksel();
	CHECK_OK(KLDR_RUN(kldr.alloc, 2ul << 20, KQ, "ldtest\0overflow", p));
	CHECK_OK(kldr_wait(p, st));
	CHECK_EQ(st[0], MICA_PROGRAM_FAULTED);
	CHECK_EQ(st[2], 14);
	CHECK(st[3] >= LDR_GUARD_ADDR && st[3] < LDR_GUARD_ADDR + 4096);
	CHECK_OK(mica_obj_delete(p));
	CHECK(kldr_finish());
}

KTEST(loader_killing_a_running_program)
{
	CHECK(kldr_start(4ul << 20));
	mica_word_t used = alloc_used(), kused = kf_used(), st[5];
	mica_cap_t p = ksel();
	CHECK_OK(KLDR_RUN(kldr.alloc, MEMQ, KQ, "ldtest\0spin", p));
	for (int i = 0; i < 10; i++)
		kyield();
	CHECK_OK(kldr_status(p, st));
	CHECK_EQ(st[0], MICA_PROGRAM_RUNNING);
	CHECK(alloc_used() > used);
	CHECK_EQ(kldr.l.running, 1);
	CHECK_OK(mica_obj_delete(p));
	CHECK_EQ(kldr.l.running, 0);
	CHECK_ERR(kldr_status(p, st), MICA_E_INVALID_CAP);
	CHECK_EQ(alloc_used(), used);
	CHECK_EQ(kf_used(), kused);
	CHECK(kldr_finish());
}

/* After a first cycle (which may add capability-table pages for the
 * selectors the cycle uses), the quotas come back exactly every time. */
KTEST(loader_1000_start_exit_cycles_return_quotas_exactly)
{
	CHECK(kldr_start(4ul << 20));
	mica_word_t st[5];
	mica_cap_t p = ksel();
	CHECK_OK(KLDR_RUN(kldr.alloc, MEMQ, KQ, "exit0", p));
	CHECK_OK(kldr_wait(p, st));
	CHECK_OK(mica_obj_delete(p));
	mica_word_t used = alloc_used(), kused = kf_used(), pool = kmem_pool.used;
	(void)pool;
	for (int i = 0; i < 1000; i++) {
		CHECK_OK(KLDR_RUN(kldr.alloc, MEMQ, KQ, "exit0", p));
		CHECK_OK(kldr_wait(p, st));
		CHECK_EQ(st[1], 0);
		CHECK_OK(mica_obj_delete(p));
		CHECK_EQ(alloc_used(), used);
		CHECK_EQ(kf_used(), kused);
	}
	CHECK_EQ(kldr.ended, 1001);
	CHECK(kldr_finish());
}

/* Every memory quota and every kernel quota below what starting takes
 * fails with NO_MEMORY and leaves nothing; the smallest that starts
 * runs (or faults for want of memory later) and returns everything. */
KTEST(loader_quota_too_small_fails_cleanly)
{
	CHECK(kldr_start(4ul << 20));
	mica_word_t st[5], q;
	mica_cap_t p = ksel();
	int e;
	/* A first program may add capability-table pages for selectors. */
	CHECK_OK(KLDR_RUN(kldr.alloc, MEMQ, KQ, "exit0", p));
	CHECK_OK(kldr_wait(p, st));
	CHECK_OK(mica_obj_delete(p));
	mica_word_t used = alloc_used(), kused = kf_used();
	for (q = 0; (e = KLDR_RUN(kldr.alloc, q, KQ,
				  "ldtest\0status\0"
				  "1",
				  p)) != MICA_OK;
	     q += 4096) {
		CHECK_ERR(e, MICA_E_NO_MEMORY);
		CHECK_EQ(alloc_used(), used);
		CHECK_EQ(kf_used(), kused);
	}
	CHECK(q >= 4 * 4096ul);
	CHECK_OK(kldr_wait(p, st));
	CHECK(st[0] == MICA_PROGRAM_EXITED || st[0] == MICA_PROGRAM_FAULTED);
	CHECK_OK(mica_obj_delete(p));
	CHECK_EQ(alloc_used(), used);
	CHECK_EQ(kf_used(), kused);
	for (q = 0; (e = KLDR_RUN(kldr.alloc, MEMQ, q,
				  "ldtest\0status\0"
				  "1",
				  p)) != MICA_OK;
	     q += 4096) {
		CHECK_ERR(e, MICA_E_NO_MEMORY);
		CHECK_EQ(alloc_used(), used);
		CHECK_EQ(kf_used(), kused);
	}
	CHECK(q >= MICA_TASK_COST(LDR_UTCB_AREA_LOG2));
	CHECK_OK(kldr_wait(p, st));
	CHECK(st[0] == MICA_PROGRAM_EXITED || st[0] == MICA_PROGRAM_FAULTED);
	CHECK_OK(mica_obj_delete(p));
	CHECK_EQ(alloc_used(), used);
	CHECK_EQ(kf_used(), kused);
	/* More than the starter has. */
	CHECK_ERR(KLDR_RUN(kldr.alloc, 8ul << 20, KQ, "exit0", p), MICA_E_NO_MEMORY);
	CHECK_EQ(alloc_used(), used);
	CHECK_EQ(kf_used(), kused);
	CHECK(kldr_finish());
}

/* Four programs print 20 lines each at once: every captured line is
 * whole, and each program's lines come in order. */
KTEST(loader_log_lines_of_concurrent_programs_never_interleave)
{
	CHECK(kldr_start(8ul << 20));
	mica_cap_t p[4];
	static const char *const cmd[] = { "ldtest\0print\0"
					   "0",
					   "ldtest\0print\0"
					   "1",
					   "ldtest\0print\0"
					   "2",
					   "ldtest\0print\0"
					   "3" };
	for (int i = 0; i < 4; i++) {
		p[i] = ksel();
		CHECK_OK(kldr_create(kldr.alloc, MEMQ, KQ, cmd[i], 14, p[i]));
	}
	mica_word_t st[5];
	for (int i = 0; i < 4; i++) {
		CHECK_OK(kldr_wait(p[i], st));
		CHECK_EQ(st[1], 0);
		CHECK_OK(mica_obj_delete(p[i]));
	}
	static const char tail[] = " of a program printing concurrently with others\n";
	int next[4] = { 0 }, lines = 0;
	for (unsigned at = 0; at < kldr.out_len;) {
		const char *l = kldr.out + at, *nl = find_ch(l, '\n', kldr.out_len - at);
		CHECK(nl);
		size_t n = (size_t)(nl - l) + 1;
		const char *bar = find_ch(l, '|', n);
		/* "\033[3Cmldtest\033[0m | ": the tag, coloured */
		CHECK(bar && bar - l == 16 && !memcmp(l + 5, "ldtest", 6));
		const char *text = bar + 2;
		CHECK(!memcmp(text, "line ", 5));
		int k = text[5] - '0', i = 0;
		CHECK(k >= 0 && k < 4 && text[6] == '.');
		const char *d = text + 7;
		while (*d >= '0' && *d <= '9')
			i = i * 10 + (*d++ - '0');
		CHECK_EQ(i, next[k]);
		next[k]++;
		CHECK_EQ((size_t)(l + n - d), sizeof(tail) - 1);
		CHECK(!memcmp(d, tail, sizeof(tail) - 1));
		lines++;
		at += n;
	}
	CHECK_EQ(lines, 80);
	CHECK(kldr_finish());
}

KTEST(loader_refuses_a_malformed_elf_and_unknown_names)
{
	CHECK(kldr_start(4ul << 20));
	mica_word_t used = alloc_used(), kused = kf_used();
	mica_cap_t p = ksel();
	CHECK_ERR(KLDR_RUN(kldr.alloc, MEMQ, KQ, "badelf", p), MICA_E_BAD_ARG);
	CHECK_ERR(KLDR_RUN(kldr.alloc, MEMQ, KQ, "nosuch", p), MICA_E_NOT_FOUND);
	CHECK_ERR(KLDR_RUN(kldr.alloc, MEMQ, KQ, "\0exit0", p), MICA_E_BAD_ARG);
	CHECK_EQ(alloc_used(), used);
	CHECK_EQ(kf_used(), kused);
	struct ldr_params pp = {
		.name = "badelf", .alloc = &kldr.root, .mem_quota = MEMQ, .factory = KF, .kern_quota = KQ
	};
	struct ldr_prog *prog;
	int elf_error;
	CHECK_ERR(ldr_prepare(&kldr.l, &pp, &prog, &elf_error), MICA_E_BAD_ARG);
	CHECK_EQ(elf_error, ELF_BAD_MACHINE);
	CHECK_EQ(alloc_used(), used);
	CHECK(kldr_finish());
}

/* CREATE with MR0..MR3, `words` words in all, the command bytes cmd and
 * items: the allocator (0: none) and the factory (0: none). */
static int create_raw(mica_word_t type, unsigned words, const char *cmd, size_t n, mica_cap_t alloc,
		      mica_cap_t factory, mica_cap_t dst)
{
	mica_word_t *mr = mica_mr();
	unsigned t = 0;
	mr[0] = type;
	mr[1] = MEMQ;
	mr[2] = KQ;
	mr[3] = n;
	memset(&mr[4], 0, 32 * sizeof(mica_word_t));
	memcpy(&mr[4], cmd, n < 200 ? n : 200);
	if (alloc) {
		mr[words + t++] = mica_item_unit(0, MICA_ITEM_MAP);
		mr[words + t++] = mica_fpage_obj(alloc, 0, MICA_RIGHTS_ALL);
	}
	if (factory) {
		mr[words + t++] = mica_item_unit(0, MICA_ITEM_MAP);
		mr[words + t++] = mica_fpage_obj(factory, 0, MICA_RIGHTS_ALL);
	}
	volatile mica_word_t *br = mica_utcb()->br;
	mica_word_t saved = br[MICA_BR_OBJ_WINDOW];
	br[MICA_BR_OBJ_WINDOW] = mica_fpage_obj(dst, 0, MICA_RIGHTS_ALL);
	int e = mica_error(
		mica_ipc(kldr.loader, mica_msgtag(MICA_FACTORY_CREATE, words, t, 0), MICA_IPC_CALL, 0, 0, 0));
	br[MICA_BR_OBJ_WINDOW] = saved;
	return e;
}

/* Every malformed CREATE gets its error and leaves nothing behind. */
KTEST(loader_bad_create_requests_are_refused)
{
	CHECK(kldr_start(4ul << 20));
	mica_word_t used = alloc_used(), kused = kf_used();
	mica_cap_t p = ksel(), sub = ksel(), ro;
	static const char ok[] = "exit0";
	/* A READ-only capability (minted for a sub-allocator, so that it
	 * goes with it). */
	CHECK_OK(kmem_create_alloc(kldr.alloc, 1ul << 20, sub));
	CHECK(kldr.root.child && (ro = kldr_cap(&kldr.root.child->o, MICA_SRV_R_READ)));
	CHECK_ERR(create_raw(MICA_PROTO_DATASPACE, 5, ok, 5, kldr.alloc, KF, p), MICA_E_BAD_ARG);
	CHECK_ERR(create_raw(MICA_PROTO_PROGRAM, 5, ok, 5, 0, KF, p), MICA_E_BAD_ARG);
	CHECK_ERR(create_raw(MICA_PROTO_PROGRAM, 5, ok, 5, kldr.alloc, 0, p), MICA_E_BAD_ARG);
	CHECK_ERR(create_raw(MICA_PROTO_PROGRAM, 5, ok, 5, ro, KF, p), MICA_E_NO_RIGHTS);
	CHECK_OK(mica_obj_delete(sub));
	/* Not a kernel factory (a task), or one without CREATE. */
	CHECK_ERR(create_raw(MICA_PROTO_PROGRAM, 5, ok, 5, kldr.alloc, KTASK, p), MICA_E_BAD_ARG);
	mica_cap_t weak = ksel();
	CHECK_OK(mica_cap_copy(MICA_CAP_TASK, KF, weak, MICA_FACTORY_R_READ, 0));
	CHECK_ERR(create_raw(MICA_PROTO_PROGRAM, 5, ok, 5, kldr.alloc, weak, p), MICA_E_NO_RIGHTS);
	/* The strings past the words sent, none at all, an empty name. */
	CHECK_ERR(create_raw(MICA_PROTO_PROGRAM, 4, ok, 5, kldr.alloc, KF, p), MICA_E_BAD_ARG);
	CHECK_ERR(create_raw(MICA_PROTO_PROGRAM, 5, ok, 9, kldr.alloc, KF, p), MICA_E_BAD_ARG);
	CHECK_ERR(create_raw(MICA_PROTO_PROGRAM, 5, ok, 0, kldr.alloc, KF, p), MICA_E_BAD_ARG);
	CHECK_ERR(create_raw(MICA_PROTO_PROGRAM, 5, "\0\0\0", 3, kldr.alloc, KF, p), MICA_E_BAD_ARG);
	CHECK_ERR(create_raw(MICA_PROTO_PROGRAM, 3, ok, 5, kldr.alloc, KF, p), MICA_E_BAD_TAG);
	/* 33 arguments. */
	static char many[33 * 2 + 8] = "exit0";
	for (int i = 0; i < 33; i++)
		many[6 + 2 * i] = 'a';
	CHECK_ERR(create_raw(MICA_PROTO_PROGRAM, 4 + (sizeof(many) + 7) / 8, many, sizeof(many), kldr.alloc,
			     KF, p),
		  MICA_E_BAD_ARG);
	mica_word_t type, rights;
	CHECK_OK(mica_cap_info(MICA_CAP_TASK, p, &type, &rights));
	CHECK_EQ(type, MICA_OBJ_NONE);
	CHECK_EQ(alloc_used(), used);
	CHECK_EQ(kf_used(), kused);
	/* And the program object's methods check theirs. */
	mica_word_t st[5];
	CHECK_OK(KLDR_RUN(kldr.alloc, MEMQ, KQ, "ldtest\0spin", p));
	CHECK_ERR(mica_error(mica_call(p, MICA_PARENT_EXIT, 1)), MICA_E_NO_RIGHTS);  /* the program's right */
	CHECK_ERR(mica_error(mica_call(p, MICA_PROGRAM_NOTIFY, 0)), MICA_E_BAD_ARG); /* no IRQ */
	CHECK_ERR(mica_error(mica_call(p, 77, 0)), MICA_E_UNKNOWN_OP);
	CHECK_OK(kldr_status(p, st));
	CHECK_EQ(st[0], MICA_PROGRAM_RUNNING);
	CHECK_OK(mica_obj_delete(p));
	CHECK_EQ(alloc_used(), used);
	CHECK(kldr_finish());
}

/* The starter's allocator going takes its programs with it. */
KTEST(loader_programs_go_with_their_starters_allocator)
{
	CHECK(kldr_start(4ul << 20));
	mica_word_t kused = kf_used();
	mica_cap_t sub = ksel(), p = ksel();
	CHECK_OK(kmem_create_alloc(kldr.alloc, 2ul << 20, sub));
	CHECK_OK(KLDR_RUN(sub, MEMQ, KQ, "ldtest\0spin", p));
	kyield();
	CHECK_OK(mica_obj_delete(sub));
	mica_word_t st[5];
	CHECK_ERR(kldr_status(p, st), MICA_E_INVALID_CAP);
	CHECK_EQ(kldr.l.running, 0);
	CHECK_EQ(kf_used(), kused);
	CHECK(kldr_finish());
}

/* NOTIFY keeps only an IRQ object with WRITE: the loader triggers it
 * from its serving thread when the program ends, and a trigger is a
 * call (found by make fuzz-services), so a gate there (to a thread of
 * the starter's that never answers) would make the server wait on its
 * client for good. A gate, a thread and an IRQ without WRITE are
 * refused, before and after the end, and the server answers on. */
KTEST(loader_notify_takes_only_an_irq)
{
	CHECK(kldr_start(4ul << 20));
	mica_word_t used = alloc_used(), kused = kf_used();
	mica_cap_t p = ksel(), q = kirq(), ro = ksel(), g = ksel();
	CHECK(q);
	CHECK_OK(mica_cap_copy(MICA_CAP_TASK, q, ro, MICA_IRQ_R_READ | MICA_IRQ_R_CONTROL, 0));
	/* A gate to this thread, which takes no call while it runs the case. */
	CHECK_OK(mica_create_gate(KF, g, MICA_CAP_THREAD, 0x99));
	mica_word_t to = mica_timeout_ns(1000000000ul);
	const mica_cap_t wrong[] = { kldr.alloc, MICA_CAP_THREAD, ro, g };
	CHECK_OK(KLDR_RUN(kldr.alloc, MEMQ, KQ, "exit0", p));
	for (unsigned round = 0; round < 2; round++) {
		for (unsigned i = 0; i < sizeof(wrong) / sizeof(wrong[0]); i++) {
			mica_mr()[0] = mica_item_unit(0, MICA_ITEM_MAP);
			mica_mr()[1] = mica_fpage_obj(wrong[i], 0, MICA_RIGHTS_ALL);
			mica_msgtag_t t = mica_ipc(p, mica_msgtag(MICA_PROGRAM_NOTIFY, 0, 2, 0),
						   MICA_IPC_CALL, MICA_TIMEOUTS(to, to), 0, 0);
			CHECK_ERR(mica_error(t), i == 2 ? MICA_E_NO_RIGHTS : MICA_E_BAD_ARG);
		}
		if (round == 0) { /* it ends, with no trigger sent anywhere yet */
			for (unsigned i = 0; i < 1000 && kldr.l.running; i++)
				kyield();
			CHECK_EQ(kldr.l.running, 0);
		}
	}
	CHECK_ERR(mica_error(mica_call_timeout(p, MICA_PROGRAM_STATUS, 0, MICA_TIMEOUTS(to, to))), MICA_OK);
	CHECK_EQ(mica_mr()[0], MICA_PROGRAM_EXITED);
	CHECK_OK(mica_obj_delete(p));
	/* The server kept none of them: ours gone, their objects are. */
	CHECK_OK(mica_cap_delete(MICA_CAP_TASK, g));
	CHECK_OK(mica_cap_delete(MICA_CAP_TASK, ro));
	CHECK_OK(mica_cap_delete(MICA_CAP_TASK, q));
	CHECK_EQ(alloc_used(), used);
	CHECK_EQ(kf_used(), kused);
	CHECK(kldr_finish());
}
