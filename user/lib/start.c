/* From _start to main and from main's return to exit. */
#include <boot_env.h>
#include <mica/program.h>
#include <mica_env.h>
#include <mica_sys.h>

int main(int argc, char **argv, char **envp);

const struct mica_kip *boot_kip;
const mica_word_t *mica_auxv;

static char *no_args[1];

void mica_start(const struct mica_kip *kip, mica_word_t *sp) __attribute__((noreturn));
void mica_start(const struct mica_kip *kip, mica_word_t *sp)
{
	int argc = 0;
	char **argv = no_args, **envp = no_args;
	if (!kip) {
		argc = (int)sp[0];
		argv = (char **)&sp[1];
		envp = argv + argc + 1;
		char **e = envp;
		while (*e)
			e++;
		mica_auxv = (const mica_word_t *)(e + 1);
		boot_kip = (const struct mica_kip *)mica_getauxval(MICA_AT_KIP);
		mica_env(); /* recorded now: main may reuse the stack's memory */
	} else {
		boot_kip = kip;
	}
	exit(main(argc, argv, envp));
}

mica_word_t mica_getauxval(mica_word_t type)
{
	for (const mica_word_t *a = mica_auxv; a && a[0] != MICA_AT_NULL; a += 2)
		if (a[0] == type)
			return a[1];
	return 0;
}

void exit(int status)
{
	/* A loaded program tells its parent, which does not answer; a boot
	 * task (no parent) just stops. */
	mica_mr()[0] = (mica_word_t)(unsigned)status;
	mica_call(MICA_CAP_PARENT, MICA_PARENT_EXIT, 1);
	mica_thread_halt();
}
