#include <mica_image.h>
#include <mica_obj.h>

extern char __image_start[], __text_end[], __rodata_end[], __image_end[];

static int share(mica_cap_t task, char *from, char *to, mica_word_t prot)
{
	uint64_t a = (uint64_t)from, pages = ((uint64_t)to - a) / MICA_PAGE_SIZE;
	while (pages) {
		uint64_t n = pages < MICA_TASK_MAP_MAX_PAGES ? pages : MICA_TASK_MAP_MAX_PAGES;
		int e = mica_task_map(task, a, a, n, prot);
		if (e != MICA_OK)
			return e;
		a += n * MICA_PAGE_SIZE;
		pages -= n;
	}
	return MICA_OK;
}

int mica_share_image(mica_cap_t task)
{
	int e = share(task, __image_start, __text_end, MICA_MAP_R | MICA_MAP_X);
	if (e == MICA_OK)
		e = share(task, __text_end, __rodata_end, MICA_MAP_R);
	if (e == MICA_OK)
		e = share(task, __rodata_end, __image_end, MICA_MAP_R | MICA_MAP_W);
	return e;
}
