/* Mapping ranges of memory between tasks, and sharing this program's
 * image with a task it creates (see mica_image.h). */
#include <mica_image.h>
#include <mica_obj.h>

extern char __image_start[], __text_end[], __rodata_end[], __data_end[], __bss_start[], __image_end[];

static unsigned ctz(mica_word_t x)
{
	return x ? (unsigned)__builtin_ctzl(x) : 64;
}

unsigned mica_fit_log2(mica_word_t a, mica_word_t b, mica_word_t size)
{
	unsigned s = ctz(a) < ctz(b) ? ctz(a) : ctz(b);
	unsigned fit = 63 - (unsigned)__builtin_clzl(size);
	if (s > fit)
		s = fit;
	return s > MICA_FPAGE_MEM_MAX ? MICA_FPAGE_MEM_MAX : s;
}

int mica_map_range(mica_cap_t task, mica_cap_t src_task, mica_word_t addr, mica_word_t dst_addr,
		   mica_word_t size, mica_word_t rights)
{
	while (size) {
		unsigned s = mica_fit_log2(addr, dst_addr, size);
		int e = mica_task_map(task, src_task, mica_fpage_mem(addr, s, rights), dst_addr,
				      MICA_ITEM_MAP);
		if (e != MICA_OK)
			return e;
		addr += 1ul << s;
		dst_addr += 1ul << s;
		size -= 1ul << s;
	}
	return MICA_OK;
}

/* Boot tasks are paged lazily: each page is touched first, so that it is
 * there to be mapped (an atomic no-op write for writable pages, safe
 * against threads using them meanwhile). */
static void touch(char *from, char *to, mica_word_t rights)
{
	for (char *p = from; p < to; p += 4096) {
		if (rights & MICA_FPAGE_W)
			__atomic_fetch_or(p, 0, __ATOMIC_RELAXED);
		else
			(void)*(volatile char *)p;
	}
}

static int share(mica_cap_t task, char *from, char *to, mica_word_t rights)
{
	mica_word_t a = (mica_word_t)from;
	touch(from, to, rights);
	return mica_map_range(task, MICA_CAP_TASK, a, a, (mica_word_t)to - a, rights);
}

void mica_touch_image(void)
{
	touch(__image_start, __text_end, MICA_FPAGE_RX);
	touch(__text_end, __rodata_end, MICA_FPAGE_R);
	/* The bss may be aligned beyond the data: not the gap between. */
	touch(__rodata_end, __data_end, MICA_FPAGE_RW);
	touch(__bss_start, __image_end, MICA_FPAGE_RW);
}

int mica_share_image(mica_cap_t task)
{
	int e = share(task, __image_start, __text_end, MICA_FPAGE_RX);
	if (e == MICA_OK)
		e = share(task, __text_end, __rodata_end, MICA_FPAGE_R);
	if (e == MICA_OK)
		e = share(task, __rodata_end, __data_end, MICA_FPAGE_RW);
	if (e == MICA_OK)
		e = share(task, __bss_start, __image_end, MICA_FPAGE_RW);
	return e;
}
