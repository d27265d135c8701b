/* The root task: loads every boot module after sigma0 and itself as a
 * program, with the module's command line as its arguments; pages the
 * programs, and reports how each ended. */
#include <boot_env.h>
#include <console.h>
#include <mica/program.h>
#include <mica_loader.h>
#include <mica_obj.h>
#include <mica_sigma0.h>
#include <mica_sys.h>
#include <progname.h>
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
		g->argv[n++] = s;
		while (*s && *s != ' ')
			s++;
	}
	g->argv[n] = 0;
	progname(n ? g->argv[0] : "", g->name, sizeof(g->name));
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
		int e = image ? mica_program_load(&l, image, mods[i].size, g->argv, 0, &g->p)
			      : MICA_E_NO_MEMORY;
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
