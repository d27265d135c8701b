/* sigma0's window onto physical memory (see phys.h). */
#include "phys.h"

#include <mica/caps.h>
#include <mica/error.h>
#include <mica_image.h>

/* sigma0's memory space for items is physical memory, so mapping from
 * itself to itself puts frames into its address space. */
void *phys_map(uint64_t pa, uint64_t size, uint64_t rights)
{
	uint64_t base = pa & ~0xffful, end = (pa + size + 0xfff) & ~0xffful;
	if (end <= base || end > PHYS_WINDOW)
		return 0;
	if (mica_map_range(MICA_CAP_TASK, MICA_CAP_TASK, base, PHYS_WINDOW + base, end - base, rights) !=
	    MICA_OK)
		return 0;
	return (void *)(PHYS_WINDOW + pa);
}
