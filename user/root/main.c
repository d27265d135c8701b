/* The root task: the system's first server. One mica_srv loop in its
 * own thread serves the memory service (a page pool from sigma0,
 * allocators, dataspaces), region maps, the ROM (every boot module after
 * sigma0 and itself), logs and the loader; it starts every boot module
 * through the loader, with the module's command line as its arguments,
 * and reports how each ended.
 *
 * Arguments that start with '+' are the root task's, not the program's:
 * what it gives the program besides the standard environment
 * (docs/abi.md section 12), between preparing and starting it:
 *   +icu          the ICU at MICA_CAP_ICU
 *   +vcon         no log: standard output goes to the Vcon as written
 *                 (a console driver echoes characters before the newline)
 *   +io=PORT:N    N I/O ports from PORT (N a power of two, PORT a multiple)
 *   +prio=P       run at priority P
 *   +sched=C      its scheduler (MICA_CAP_SCHEDULER) has ceiling C
 *                 (default: its own priority); +sched=none: none, it
 *                 runs its main thread only
 *
 * If the boot image has a module named "init" (user/init), the root task
 * starts that one alone, its arguments the boot script's name, and init
 * starts the rest as the script says (docs/init.md): init gets the
 * loader, the ICU, every I/O port, a name space ("ns", holding the ROM as
 * "rom") and most of the memory, and the programs' quotas come from it. */
#include <boot_env.h>
#include <console.h>
#include <elf.h>
#include <mica/layout.h>
#include <mica_obj.h>
#include <mica_sigma0.h>
#include <mica_sys.h>
#include <ns/ns.h>
#include <system/system.h>
#include <stdlib.h>
#include <string.h>

#define GATE 16
#define PROGRAM_MEM (4ul << 20)
#define PROGRAM_KERNEL (512ul << 10)
#define ARGS_MAX 16

static struct system sys;
static const struct system_layout layout = {
	.gate = GATE,
	.sel_base = 0x100,
	.pool = 0x200000000000ul,
	.pool_log2 = 30,
	.modules = 0x100000000000ul,
	.quota = 128ul << 20, /* all programs' memory together */
	/* /tmp: 16 sessions of LDR_FS_QUOTA; its memory (up to twice this,
	 * page tables included) comes from quota. */
	.fs_quota = 16ul << 20,
};

/* A module's arguments: argv (the name first) and the '+' grants. */
struct args {
	char buf[MICA_ROM_ARGS_MAX + 1];
	const char *argv[ARGS_MAX + 2];
	const char *grants[ARGS_MAX];
	unsigned ngrants;
};

static void split(struct args *a, const struct rom_module *m)
{
	unsigned n = 0;
	memcpy(a->buf, m->args, sizeof(a->buf));
	a->ngrants = 0;
	a->argv[n++] = m->name;
	for (char *s = a->buf; *s && n <= ARGS_MAX;) {
		while (*s == ' ')
			*s++ = 0;
		if (!*s)
			break;
		if (*s == '+')
			a->grants[a->ngrants++] = s;
		else
			a->argv[n++] = s;
		while (*s && *s != ' ')
			s++;
	}
	a->argv[n] = 0;
}

/* "+io=0x3f8:8" -> the I/O flexpage, or 0 if malformed. */
static mica_word_t io_fpage(const char *spec)
{
	char *end;
	mica_word_t port = strtoul(spec, &end, 0), n;
	if (*end != ':')
		return 0;
	n = strtoul(end + 1, &end, 0);
	unsigned log2 = 0;
	while ((1ul << log2) < n)
		log2++;
	if (*end || !n || (1ul << log2) != n || (port & (n - 1)) || port + n > 0x10000)
		return 0;
	return mica_fpage_io(port, log2);
}

/* Gives the prepared program what its '+' arguments ask for: MICA_OK,
 * or the first error (an unknown or malformed grant is MICA_E_BAD_ARG). */
static int grant(struct ldr_prog *p, const struct args *a)
{
	for (unsigned i = 0; i < a->ngrants; i++) {
		const char *g = a->grants[i];
		int e = MICA_E_BAD_ARG;
		if (strcmp(g, "+vcon") == 0) {
			e = MICA_OK; /* taken care of when preparing */
		} else if (strcmp(g, "+icu") == 0) {
			e = ldr_give(p, 0, MICA_CAP_ICU, MICA_CAP_ICU, MICA_RIGHTS_ALL);
		} else if (strncmp(g, "+io=", 4) == 0) {
			mica_word_t fp = io_fpage(g + 4);
			mica_word_t port = fp >> MICA_FPAGE_BASE_SHIFT;
			/* the root task takes the ports from sigma0 first */
			if (fp && ((e = mica_sigma0_request(MICA_CAP_PAGER, MICA_SIGMA0_IO, fp,
							    mica_fpage_io(0, 16), 0)) == MICA_OK ||
				   e == MICA_E_NO_MEMORY))
				e = mica_task_map(p->task, MICA_CAP_TASK, fp, port << MICA_FPAGE_BASE_SHIFT,
						  MICA_ITEM_MAP);
		} else if (strncmp(g, "+prio=", 6) == 0) {
			char *end;
			unsigned long prio = strtoul(g + 6, &end, 0);
			if (!*end && end != g + 6 && prio < MICA_SCHED_PRIOS)
				e = ldr_place(p, (unsigned)prio);
		} else if (strcmp(g, "+sched=none") == 0) {
			e = ldr_no_sched(p);
		} else if (strncmp(g, "+sched=", 7) == 0) {
			char *end;
			unsigned long ceiling = strtoul(g + 7, &end, 0);
			if (!*end && end != g + 7 && ceiling < MICA_SCHED_PRIOS)
				e = ldr_give_sched(p, (unsigned)ceiling);
		}
		if (e != MICA_OK) {
			printf("root: '%s': cannot grant %s: error %d\n", p->name, g, e);
			return e;
		}
	}
	return MICA_OK;
}

/* In the serving thread, after the loader reclaimed the program. */
static void ended(void *ctx, struct ldr_prog *p)
{
	(void)ctx;
	/* Programs that others (init) started are theirs to report and
	 * delete. */
	if (p->starter != &sys.root) {
		if (!sys.ldr.running)
			sys.srv.stop = 1;
		return;
	}
	if (p->state == MICA_PROGRAM_FAULTED)
		printf("root: '%s' was stopped by exception %lu at ip 0x%lx (address 0x%lx)\n", p->name,
		       p->vector, p->ip, p->addr);
	else
		printf("root: '%s' exited with status %d\n", p->name, p->status);
	ldr_delete(p);
	if (!sys.ldr.running)
		sys.srv.stop = 1;
}

static void not_in_rom(const char *cmdline, int e)
{
	printf("root: boot module '%s' is not in the ROM: error %d\n", cmdline, e);
}

/* The server: its gate is bound to this thread. */
static int serve_setup(void)
{
	int e;
	if ((e = mica_create_gate(MICA_CAP_FACTORY, GATE, MICA_CAP_THREAD, 0)) != MICA_OK ||
	    (e = system_init(&sys, &layout, 2, not_in_rom)) != MICA_OK)
		return e;
	sys.ldr.ended = ended;
	return MICA_OK;
}

/* Whether the module's grants include `g`. */
static bool granted(const struct args *a, const char *g)
{
	for (unsigned i = 0; i < a->ngrants; i++)
		if (strcmp(a->grants[i], g) == 0)
			return true;
	return false;
}

#define INIT_MEM (96ul << 20)
#define INIT_KERNEL (8ul << 20)

/* What init gets beyond the standard environment: MICA_OK or the error. */
static int init_caps(struct ldr_prog *p)
{
	mica_cap_t loader, rom;
	struct ns *ns;
	int e;
	mica_word_t all_ports = mica_fpage_io(0, 10);
	if ((e = mica_srv_cap(&sys.srv, &sys.ldr.o, MICA_SRV_R_WRITE, &loader)) != MICA_OK ||
	    (e = ldr_give(p, 0, MICA_CAP_LOADER, loader, MICA_RIGHTS_ALL)) != MICA_OK ||
	    (e = ldr_give(p, 0, MICA_CAP_ICU, MICA_CAP_ICU, MICA_RIGHTS_ALL)) != MICA_OK)
		return e;
	/* The ports come from sigma0 first (NO_MEMORY: the root has them). */
	e = mica_sigma0_request(MICA_CAP_PAGER, MICA_SIGMA0_IO, all_ports, all_ports, 0);
	if ((e != MICA_OK && e != MICA_E_NO_MEMORY) ||
	    (e = mica_task_map(p->task, MICA_CAP_TASK, all_ports, 0, MICA_ITEM_MAP)) != MICA_OK)
		return e;
	mica_cap_t romsel = mica_srv_sel_alloc(&sys.srv), nscap;
	if (!romsel)
		return MICA_E_NO_MEMORY;
	if ((e = mica_srv_cap(&sys.srv, &sys.rom.o, MICA_ROM_R_READ, &rom)) != MICA_OK ||
	    (e = mica_cap_copy(MICA_CAP_TASK, rom, romsel, MICA_RIGHTS_ALL, 0)) != MICA_OK ||
	    (e = ns_create(&sys.root, &ns)) != MICA_OK)
		return e;
	if ((e = ns_register(ns, "rom", 3, romsel, MICA_ROM_R_READ)) != MICA_OK ||
	    (e = mica_srv_cap(&sys.srv, &ns->o, MICA_SRV_RIGHTS, &nscap)) != MICA_OK)
		return e;
	return ldr_give(p, "ns", 0, nscap, MICA_RIGHTS_ALL);
}

/* Starts ROM module m: MICA_OK or the error (reported). A program gets
 * what its command line grants, and its standard output goes to a log
 * tagged with its name unless it asks for the Vcon (+vcon); init (is_init)
 * gets larger quotas and init_caps instead. */
static int start(const struct rom_module *m, bool is_init)
{
	struct args a;
	struct ldr_prog *p;
	int elf_error;
	split(&a, m);
	struct ldr_params pp = { .module = m,
				 .name = m->name,
				 .argv = a.argv,
				 .alloc = &sys.root,
				 .mem_quota = is_init ? INIT_MEM : PROGRAM_MEM,
				 .factory = MICA_CAP_FACTORY,
				 .kern_quota = is_init ? INIT_KERNEL : PROGRAM_KERNEL,
				 .no_log = !is_init && granted(&a, "+vcon") };
	int e = ldr_prepare(&sys.ldr, &pp, &p, &elf_error);
	if (e == MICA_OK) {
		if ((e = is_init ? init_caps(p) : grant(p, &a)) == MICA_OK && (e = ldr_start(p)) == MICA_OK) {
			if (is_init)
				printf("root: started 'init' (%s)\n", a.argv[1] ? a.argv[1] : "no script");
			else
				printf("root: started '%s'\n", m->name);
			return MICA_OK;
		}
		ldr_delete(p);
	}
	if (!is_init && e == MICA_E_BAD_ARG && elf_error != ELF_OK)
		printf("root: '%s' is not a valid program: %s\n", m->name, elf_error_name(elf_error));
	else
		printf("root: '%s' could not be started: error %d\n", m->name, e);
	return e;
}

int main(void)
{
	int e = serve_setup();
	if (e != MICA_OK) {
		printf("root: cannot set up its server: error %d\n", e);
		return 1;
	}
	const struct rom_module *init = rom_find(&sys.rom, "init", 4);
	if (init)
		start(init, true);
	for (unsigned i = 0; !init && i < sys.rom.count; i++)
		start(&sys.rom.mod[i], false);
	if (!sys.ldr.running)
		printf("root: no programs to run\n");
	else if ((e = mica_srv_loop(&sys.srv)) != MICA_OK)
		printf("root: serving its programs failed: error %d\n", e);
	printf("root: all programs have ended\n");
	return 0;
}
