/* The root task: loads every boot module after sigma0 and itself as a
 * program, with the module's command line as its arguments; pages the
 * programs, and reports how each ended.
 *
 * Arguments that start with '+' are the root task's, not the program's:
 * what it gives the program besides the standard capabilities (until an
 * init with named capabilities exists; docs/abi.md section 12):
 *   +icu          the ICU at MICA_CAP_ICU
 *   +io=PORT:N    N I/O ports from PORT (N a power of two, PORT a multiple)
 *   +prio=P       run at priority P */
#include <boot_env.h>
#include <console.h>
#include <mica/program.h>
#include <mica_loader.h>
#include <mica_obj.h>
#include <mica_sigma0.h>
#include <mica_sys.h>
#include <progname.h>
#include <stdlib.h>
#include <string.h>

#define GATE 16
#define SEL_PROGRAMS 32 /* three selectors per program from here */
#define PROGRAMS_MAX 30
#define ARGS_MAX 16
#define MODULES 0x100000000000ul /* boot modules appear at this + their physical address */
#define HEAP 0x200000000000ul
#define HEAP_END 0x300000000000ul
#define PROGRAM_QUOTA (256ul << 10)

struct program {
	struct mica_program p; /* first: report() finds the program from it */
	char name[32];
	char args[256];
	const char *argv[ARGS_MAX + 1];
	const char *grants[ARGS_MAX]; /* the '+' arguments */
	unsigned ngrants;
};

static struct program programs[PROGRAMS_MAX];

/* A boot module's image, mapped from sigma0. */
static const void *map_module(const struct mica_kip_module *m)
{
	mica_word_t at = MODULES + m->base;
	return mica_sigma0_map_phys(MICA_CAP_PAGER, MICA_SIGMA0_MEM, m->base, m->size, at, MICA_FPAGE_R) ==
			       MICA_OK
		       ? (const void *)at
		       : 0;
}

/* "build/user/hello.elf a b" -> argv {"build/user/hello.elf", "a", "b"}, name "hello" */
static void split(struct program *g, const char *cmdline)
{
	size_t len = strlen(cmdline);
	if (len >= sizeof(g->args))
		len = sizeof(g->args) - 1;
	memcpy(g->args, cmdline, len);
	unsigned n = 0;
	for (char *s = g->args; *s && n < ARGS_MAX;) {
		while (*s == ' ')
			*s++ = 0;
		if (!*s)
			break;
		if (*s == '+' && n > 0)
			g->grants[g->ngrants++] = s;
		else
			g->argv[n++] = s;
		while (*s && *s != ' ')
			s++;
	}
	g->argv[n] = 0;
	progname(n ? g->argv[0] : "", g->name, sizeof(g->name));
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

/* Gives the program what its '+' arguments ask for: MICA_OK, or the
 * first error (an unknown or malformed grant is MICA_E_BAD_ARG). */
static int grant(struct program *g)
{
	for (unsigned i = 0; i < g->ngrants; i++) {
		const char *a = g->grants[i];
		int e = MICA_E_BAD_ARG;
		if (strcmp(a, "+icu") == 0) {
			e = mica_cap_copy(g->p.task, MICA_CAP_ICU, MICA_CAP_ICU, MICA_RIGHTS_ALL, 0);
		} else if (strncmp(a, "+io=", 4) == 0) {
			mica_word_t fp = io_fpage(a + 4);
			mica_word_t port = fp >> MICA_FPAGE_BASE_SHIFT;
			/* the root task takes the ports from sigma0 first */
			if (fp && ((e = mica_sigma0_request(MICA_CAP_PAGER, MICA_SIGMA0_IO, fp,
							    mica_fpage_io(0, 16), 0)) == MICA_OK ||
				   e == MICA_E_NO_MEMORY))
				e = mica_task_map(g->p.task, MICA_CAP_TASK, fp, port << MICA_FPAGE_BASE_SHIFT,
						  MICA_ITEM_MAP);
		} else if (strncmp(a, "+prio=", 6) == 0) {
			char *end;
			unsigned long prio = strtoul(a + 6, &end, 0);
			if (!*end && end != a + 6)
				e = mica_sched_run_thread(MICA_CAP_SCHEDULER, g->p.thread, (unsigned)prio,
							  10000000ul, 0);
		}
		if (e != MICA_OK) {
			printf("root: '%s': cannot grant %s: error %d\n", g->name, a, e);
			return e;
		}
	}
	return MICA_OK;
}

static void report(struct mica_program *p, const mica_word_t *mr)
{
	const struct program *g = (const struct program *)p; /* p is its first member */
	if (g->p.status >= MICA_EXIT_EXCEPTION)
		printf("root: '%s' was stopped by exception %d at ip 0x%lx (address 0x%lx)\n", g->name,
		       g->p.status - MICA_EXIT_EXCEPTION, mr[MICA_EXC_IP], mr[MICA_EXC_ADDR]);
	else
		printf("root: '%s' exited with status %d\n", g->name, g->p.status);
}

int main(void)
{
	const struct mica_kip *kip = boot_kip;
	struct mica_loader l = { MICA_CAP_FACTORY, MICA_CAP_PAGER, GATE, HEAP, HEAP_END };
	if (mica_create_gate(MICA_CAP_FACTORY, GATE, 0, 0) != MICA_OK) {
		printf("root: cannot create its gate\n");
		return 1;
	}
	const struct mica_kip_module *mods = mica_kip_at(kip, kip->module_offset);
	struct mica_program *loaded[PROGRAMS_MAX] = { 0 };
	unsigned running = 0;
	for (unsigned i = 2; i < kip->module_count && i - 2 < PROGRAMS_MAX; i++) {
		struct program *g = &programs[i - 2];
		split(g, mica_kip_at(kip, mods[i].cmdline));
		mica_cap_t sel = SEL_PROGRAMS + 3 * (i - 2);
		g->p = (struct mica_program){ .task = sel,
					      .thread = sel + 1,
					      .factory = sel + 2,
					      .label = i - 1,
					      .quota = PROGRAM_QUOTA };
		const void *image = map_module(&mods[i]);
		int e = image ? mica_program_prepare(&l, image, mods[i].size, g->argv, 0, &g->p)
			      : MICA_E_NO_MEMORY;
		if (e == MICA_OK && (e = grant(g)) == MICA_OK)
			e = mica_program_start(&g->p);
		if (e == MICA_OK) {
			printf("root: started '%s'\n", g->name);
			loaded[i - 2] = &g->p;
			running++;
			continue;
		}
		if (e == MICA_E_BAD_ARG && g->p.elf_error != ELF_OK)
			printf("root: '%s' is not a valid program: %s\n", g->name,
			       elf_error_name(g->p.elf_error));
		else
			printf("root: '%s' could not be started: error %d\n", g->name, e);
		mica_program_destroy(&g->p);
	}
	if (!running)
		printf("root: no programs to run\n");
	int e = mica_loader_serve(&l, loaded, PROGRAMS_MAX, running, report);
	if (e != MICA_OK)
		printf("root: waiting for its programs failed: error %d\n", e);
	printf("root: all programs have ended\n");
	return 0;
}
