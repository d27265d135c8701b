/* The small runtime of boot tasks: start-up data, console, halting. */
#include <boot_env.h>
#include <console.h>
#include <format.h>
#include <mica/error.h>
#include <mica/thread.h>
#include <mica/vcon.h>
#include <mica_env.h>
#include <mica_log.h>
#include <mica_sys.h>
#include <string.h>

const char *boot_args(void)
{
	if (!boot_kip || boot_kip->module_count < 2)
		return "";
	const struct mica_kip_module *m = mica_kip_at(boot_kip, boot_kip->module_offset);
	const char *s = mica_kip_at(boot_kip, m[1].cmdline);
	while (*s && *s != ' ')
		s++;
	while (*s == ' ')
		s++;
	return s;
}

void mica_thread_halt(void)
{
	for (;;)
		mica_send(MICA_CAP_THREAD, MICA_THREAD_HALT, 0);
}

int vcon_write(const char *s, size_t len)
{
	struct mica_utcb *u = mica_utcb();
	while (len) {
		size_t n = len < MICA_VCON_WRITE_MAX ? len : MICA_VCON_WRITE_MAX;
		u->mr[0] = n;
		memcpy(&u->mr[1], s, n);
		mica_msgtag_t r = mica_send(MICA_CAP_VCON, MICA_VCON_WRITE, 1 + (unsigned)((n + 7) / 8));
		if (mica_msgtag_is_error(r))
			return (int)mica_msgtag_label(r);
		s += n;
		len -= n;
	}
	return MICA_OK;
}

/* Standard output: the program's log if its loader gave it one (the log
 * server tags each whole line with the program's name and never mixes
 * lines of several programs), else the Vcon. */
static int out_write(const char *s, size_t len)
{
	if (mica_env_has(MICA_CAP_LOG))
		return mica_log_write(MICA_CAP_LOG, s, len);
	return vcon_write(s, len);
}

struct line {
	char buf[256];
	size_t n;
};

static void line_sink(void *ctx, char c)
{
	struct line *l = ctx;
	l->buf[l->n++] = c;
	if (l->n == sizeof(l->buf) || c == '\n') {
		out_write(l->buf, l->n);
		l->n = 0;
	}
}

int printf(const char *fmt, ...)
{
	struct line l = { .n = 0 };
	va_list ap;
	va_start(ap, fmt);
	int n = format_v(line_sink, &l, fmt, ap);
	va_end(ap);
	if (l.n)
		out_write(l.buf, l.n);
	return n;
}
