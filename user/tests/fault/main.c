/* Faults on purpose, as its command line says, so tests can check that
 * the kernel reports the fault, stops only this program, and goes on:
 *   null  read through a null pointer       (#PF)
 *   ud    an undefined instruction           (#UD)
 *   gp    a privileged instruction           (#GP)
 *   div   an integer division by zero        (#DE)
 *   kernel  write to a kernel address        (#PF, protection)
 *   badcap  invoke selectors and labels that name nothing (no fault:
 *           checks the error codes, then exits)
 *   s0map   in sigma0's place (the first boot module), with the mode on
 *           the root module's command line: maps physical memory into
 *           itself and checks that RAM maps and the kernel's memory
 *           does not (no fault: checks the error codes, then exits)
 */
#include <boot_env.h>
#include <console.h>
#include <mica/error.h>
#include <mica/fpage.h>
#include <mica/kip.h>
#include <mica_obj.h>
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

static int check_code(const char *what, int got, enum mica_error want)
{
	printf("fault: %s: error %d (want %u): %s\n", what, got, (unsigned)want,
	       got == (int)want ? "ok" : "WRONG");
	return got == (int)want;
}

static int map_phys(mica_word_t pa, mica_word_t dst)
{
	return mica_task_map(MICA_CAP_TASK, MICA_CAP_TASK, mica_fpage_mem(pa, 12, MICA_FPAGE_RW), dst,
			     MICA_ITEM_MAP);
}

/* sigma0's maps come from physical memory: RAM maps, the kernel's memory
 * never does, whether the destination's page tables exist (the map fast
 * path's case) or not (the general path's). */
static void sigma0_maps(void)
{
	const struct mica_kip_mem *m = mica_kip_at(boot_kip, boot_kip->mem_offset), *ram = 0, *kernel = 0;
	for (uint32_t i = 0; i < boot_kip->mem_count; i++) {
		if (m[i].type == MICA_MEM_CONVENTIONAL && m[i].size >= 0x1000)
			ram = &m[i];
		if (m[i].type == MICA_MEM_KERNEL && !kernel)
			kernel = &m[i];
	}
	if (!ram || !kernel) {
		printf("fault: the KIP lists no RAM or no kernel memory\n");
		return;
	}
	const mica_word_t d = 0x20000000ul, page = (ram->base + ram->size - 0x1000) & ~0xffful;
	int ok = check_code("RAM, new page table", map_phys(page, d), MICA_OK);
	ok &= check_code("RAM again, page table in place", map_phys(page, d + 0x1000), MICA_OK);
	((volatile mica_word_t *)d)[0] = 0x5a5a;
	ok &= check_code("the two aliases agree",
			 ((volatile mica_word_t *)(d + 0x1000))[0] == 0x5a5a ? 0 : -1, MICA_OK);
	ok &= check_code("kernel memory, page table in place", map_phys(kernel->base & ~0xffful, d + 0x2000),
			 MICA_E_BAD_ARG);
	ok &= check_code("kernel memory, new page table", map_phys(kernel->base & ~0xffful, d + 0x40000000ul),
			 MICA_E_BAD_ARG);
	printf("fault: sigma0's maps %s\n", ok ? "all as expected" : "FAILED");
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
	} else if (strcmp(what, "s0map") == 0) {
		sigma0_maps();
		return 0;
	}
	printf("fault: unknown fault '%s' or it did not fault\n", what);
	return 1;
}
