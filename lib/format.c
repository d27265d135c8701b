/* printf-style formatting onto a character sink (see format.h). */
#include <format.h>
#include <stdbool.h>
#include <stdint.h>

struct spec {
	bool left;
	bool zero;
	int width;
	int precision; /* -1: none */
};

struct out {
	format_sink sink;
	void *ctx;
	int count;
};

static void put(struct out *o, char c)
{
	o->sink(o->ctx, c);
	o->count++;
}

static void pad(struct out *o, int n, char c)
{
	while (n-- > 0)
		put(o, c);
}

static void put_str(struct out *o, const struct spec *sp, const char *s)
{
	int len = 0;
	if (!s)
		s = "(null)";
	while (s[len] && (sp->precision < 0 || len < sp->precision))
		len++;
	if (!sp->left)
		pad(o, sp->width - len, ' ');
	for (int i = 0; i < len; i++)
		put(o, s[i]);
	if (sp->left)
		pad(o, sp->width - len, ' ');
}

static void put_num(struct out *o, const struct spec *sp, uint64_t v, unsigned base, bool neg, bool upper)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char buf[24];
	int n = 0;
	do {
		buf[n++] = digits[v % base];
		v /= base;
	} while (v);
	int len = n + (neg ? 1 : 0);
	if (!sp->left && !sp->zero)
		pad(o, sp->width - len, ' ');
	if (neg)
		put(o, '-');
	if (!sp->left && sp->zero)
		pad(o, sp->width - len, '0');
	while (n)
		put(o, buf[--n]);
	if (sp->left)
		pad(o, sp->width - len, ' ');
}

int format_v(format_sink sink, void *ctx, const char *fmt, va_list ap)
{
	struct out o = { sink, ctx, 0 };
	for (; *fmt; fmt++) {
		if (*fmt != '%') {
			put(&o, *fmt);
			continue;
		}
		struct spec sp = { false, false, 0, -1 };
		for (;; fmt++) {
			if (fmt[1] == '-')
				sp.left = true;
			else if (fmt[1] == '0')
				sp.zero = true;
			else
				break;
		}
		if (fmt[1] == '*') {
			sp.width = va_arg(ap, int);
			fmt++;
		}
		while (fmt[1] >= '0' && fmt[1] <= '9')
			sp.width = sp.width * 10 + (*++fmt - '0');
		if (fmt[1] == '.') {
			fmt++;
			sp.precision = 0;
			if (fmt[1] == '*') {
				sp.precision = va_arg(ap, int);
				fmt++;
			}
			while (fmt[1] >= '0' && fmt[1] <= '9')
				sp.precision = sp.precision * 10 + (*++fmt - '0');
		}
		int longness = 0; /* 0: int, 1: long / size_t, 2: long long */
		for (;;) {
			if (fmt[1] == 'l')
				longness++;
			else if (fmt[1] == 'z')
				longness = 1;
			else if (fmt[1] != 'h')
				break;
			fmt++;
		}
		char conv = *++fmt;
		uint64_t u;
		int64_t s;
		switch (conv) {
		case 'c':
			put(&o, (char)va_arg(ap, int));
			break;
		case 's':
			put_str(&o, &sp, va_arg(ap, const char *));
			break;
		case 'd':
		case 'i':
			s = longness ? va_arg(ap, int64_t) : va_arg(ap, int);
			put_num(&o, &sp, s < 0 ? 0 - (uint64_t)s : (uint64_t)s, 10, s < 0, false);
			break;
		case 'u':
		case 'x':
		case 'X':
			u = longness ? va_arg(ap, uint64_t) : va_arg(ap, unsigned);
			put_num(&o, &sp, u, conv == 'u' ? 10 : 16, false, conv == 'X');
			break;
		case 'p':
			put(&o, '0');
			put(&o, 'x');
			put_num(&o, &sp, (uintptr_t)va_arg(ap, void *), 16, false, false);
			break;
		case '%':
			put(&o, '%');
			break;
		case '\0':
			return o.count; /* a lone '%' at the end */
		default:
			put(&o, '%');
			put(&o, conv);
			break;
		}
	}
	return o.count;
}

struct buf_ctx {
	char *buf;
	size_t size;
	size_t pos;
};

static void buf_sink(void *ctx, char c)
{
	struct buf_ctx *b = ctx;
	if (b->pos + 1 < b->size)
		b->buf[b->pos] = c;
	b->pos++;
}

int format_buf(char *buf, size_t size, const char *fmt, ...)
{
	struct buf_ctx b = { buf, size, 0 };
	va_list ap;
	va_start(ap, fmt);
	int n = format_v(buf_sink, &b, fmt, ap);
	va_end(ap);
	if (size)
		buf[b.pos < size ? b.pos : size - 1] = '\0';
	return n;
}
