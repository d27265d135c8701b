/* Faults on purpose, as its command line says, so tests can check that
 * the kernel reports the fault, stops only this program, and goes on:
 *   null  read through a null pointer       (#PF)
 *   ud    an undefined instruction           (#UD)
 *   gp    a privileged instruction           (#GP)
 *   div   an integer division by zero        (#DE)
 *   kernel  write to a kernel address        (#PF, protection)
 *   badcap  invoke selectors and labels that name nothing (no fault:
 *           checks the error codes, then exits)
 */
#include <boot_env.h>
#include <console.h>
#include <mica/error.h>
#include <mica_sys.h>
#include <string.h>

static int check_error(const char *what, mica_msgtag_t r, enum mica_error want)
{
	mica_word_t got = mica_msgtag_is_error(r) ? mica_msgtag_label(r) : 0;
	int ok = got == (mica_word_t)want && mica_utcb()->error == got;
	printf("fault: %s: error %lu (want %u): %s\n", what, got, (unsigned)want, ok ? "ok" : "WRONG");
	return ok;
}

static void bad_invocations(void)
{
	int ok = 1;
	ok &= check_error("invalid selector 0", mica_send(MICA_CAP_INVALID, 1, 0), MICA_E_INVALID_CAP);
	ok &= check_error("unbound selector 999", mica_send(999, 1, 0), MICA_E_INVALID_CAP);
	ok &= check_error("huge selector", mica_send(~0ul, 1, 0), MICA_E_INVALID_CAP);
	ok &= check_error("unknown vcon method", mica_send(MICA_CAP_VCON, 77, 0), MICA_E_UNKNOWN_OP);
	ok &= check_error("vcon write without words", mica_send(MICA_CAP_VCON, 1, 0), MICA_E_BAD_TAG);
	mica_utcb()->mr[0] = 1000; /* more bytes than the message carries */
	ok &= check_error("vcon write overlong", mica_send(MICA_CAP_VCON, 1, 2), MICA_E_BAD_ARG);
	mica_utcb()->mr[0] = ~0ul;
	ok &= check_error("vcon write length -1", mica_send(MICA_CAP_VCON, 1, 63), MICA_E_BAD_ARG);
	ok &= check_error("unknown flags", mica_ipc(MICA_CAP_VCON, mica_msgtag(1, 0, 0, 0), ~0ul, 0, 0, 0),
			  MICA_E_BAD_ARG);
	ok &= check_error("typed items",
			  mica_ipc(MICA_CAP_VCON, mica_msgtag(1, 1, 2, 0), MICA_IPC_SEND, 0, 0, 0),
			  MICA_E_BAD_TAG);
	printf("fault: bad invocations %s\n", ok ? "all rejected correctly" : "FAILED");
}

int main(int argc, char **argv)
{
	const char *what = argc > 1 ? argv[1] : boot_args(); /* loaded, or the root task */
	printf("fault: about to '%s'\n", what);
	if (strcmp(what, "null") == 0) {
		volatile int *p = 0;
		// cppcheck-suppress nullPointer
		// NOLINTNEXTLINE(clang-analyzer-core.NullDereference): the fault is the test
		return *p;
	} else if (strcmp(what, "ud") == 0) {
		__asm__ volatile("ud2");
	} else if (strcmp(what, "gp") == 0) {
		__asm__ volatile("cli");
	} else if (strcmp(what, "div") == 0) {
		/* Explicit: compilers rewrite 1 / x without dividing. */
		unsigned long q = 1, zero = 0;
		__asm__ volatile("xor %%edx, %%edx; divq %1" : "+a"(q) : "r"(zero) : "rdx");
		return (int)q;
	} else if (strcmp(what, "kernel") == 0) {
		*(volatile long *)0xffffffff80100000ul = 0;
	} else if (strcmp(what, "badcap") == 0) {
		bad_invocations();
		return 0;
	}
	printf("fault: unknown fault '%s' or it did not fault\n", what);
	return 1;
}
