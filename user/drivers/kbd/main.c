/* A user-level PS/2 keyboard driver, the root-server demo of the L4
 * lecture notes: each interrupt (ISA IRQ 1) arrives as a message, the
 * driver reads the scancodes the i8042 controller holds, prints them and
 * acknowledges with UNMASK. The controller translates to scancode set 1
 * by default, so the key names below are set 1's.
 *
 * Needs its line ("irq1", from init) or the ICU, and the controller's ports from its loader (+icu
 * +io=0x60:1 +io=0x64:1). Argument: end after that many scancodes
 * (default: never). */
#include <console.h>
#include <mica_env.h>
#include <mica_obj.h>
#include <x86_port.h>
#include <mica_sys.h>
#include <stdlib.h>

#define KBD_ISA_IRQ 1
#define KBD_DATA 0x60
#define KBD_STATUS 0x64
#define STATUS_FULL 0x01 /* a byte waits in the output buffer */
#define STATUS_AUX 0x20	 /* ... and it is the mouse's */
#define IRQ_SEL 16
#define LABEL 0x6bd

/* Set 1 make codes 0x01 .. 0x39; a break code is the make code | 0x80. */
static const char *const names[] = {
	0,     "esc", "1", "2", "3", "4", "5", "6", "7", "8",	  "9", "0",   "-",     "=",	"backspace",
	"tab", "q",   "w", "e", "r", "t", "y", "u", "i", "o",	  "p", "[",   "]",     "enter", "ctrl",
	"a",   "s",   "d", "f", "g", "h", "j", "k", "l", ";",	  "'", "`",   "shift", "\\",	"z",
	"x",   "c",   "v", "b", "n", "m", ",", ".", "/", "shift", "*", "alt", "space",
};

static unsigned long count;

static void print(uint8_t sc)
{
	unsigned make = sc & 0x7f;
	const char *name = make < sizeof(names) / sizeof(names[0]) ? names[make] : 0;
	if (name)
		printf("scancode 0x%02x (%s %s)\n", sc, name, sc & 0x80 ? "up" : "down");
	else
		printf("scancode 0x%02x\n", sc);
	count++;
}

int main(int argc, char **argv)
{
	unsigned long stop = argc > 1 ? strtoul(argv[1], 0, 0) : 0;
	/* Init gives the line itself as "irq1" (docs/init.md); the root's
	 * +icu gives the ICU to bind it with. */
	mica_cap_t irq;
	int e = mica_irq_for_driver("irq1", KBD_ISA_IRQ, IRQ_SEL, LABEL, &irq);
	if (e != MICA_OK) {
		printf("cannot get the keyboard's interrupt: error %d\n", e);
		return 1;
	}
	printf("PS/2 keyboard driver on ISA IRQ 1\n");
	for (;;) {
		/* Also what came before the line was bound: its edge is gone. */
		uint8_t st;
		while ((st = inb(KBD_STATUS)) & STATUS_FULL) {
			uint8_t b = inb(KBD_DATA);
			if (!(st & STATUS_AUX))
				print(b);
			if (stop && count >= stop)
				return 0;
		}
		if ((e = mica_irq_unmask(irq)) != MICA_OK)
			break;
		mica_msgtag_t t = mica_wait(MICA_CAP_INVALID, MICA_TIMEOUT_NEVER, 0);
		if (mica_msgtag_is_error(t)) {
			e = mica_error(t);
			break;
		}
	}
	printf("waiting for the interrupt failed: error %d\n", e);
	return 1;
}
