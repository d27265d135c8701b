/* The client calls of mica_mem.h: one request each, through the same
 * invocation as a kernel object's (the objects are a server's). */
#include <mica/dataspace.h>
#include <mica/factory.h>
#include <mica/rm.h>
#include <mica_mem.h>
#include <mica_obj.h>
#include <mica_sys.h>

/* Calls obj with u words and, if cap is not 0, one object item carrying
 * it (MAP, all rights it has); a created capability lands at dst (if
 * not 0). The MRs hold the answer after. */
static int call(mica_cap_t obj, mica_word_t op, unsigned u, mica_cap_t cap, mica_cap_t dst)
{
	return mica_call_items(obj, op, u, cap, dst, 0);
}

/* The first n answer words, if the call worked (outputs may be 0). */
static int answer(int e, mica_word_t *a, mica_word_t *b)
{
	if (e == MICA_OK && a)
		*a = mica_mr()[0];
	if (e == MICA_OK && b)
		*b = mica_mr()[1];
	return e;
}

int mica_alloc_ds(mica_cap_t alloc, mica_word_t size, mica_word_t flags, mica_cap_t dst)
{
	mica_word_t *mr = mica_mr();
	mr[0] = MICA_PROTO_DATASPACE;
	mr[1] = size;
	mr[2] = flags;
	return call(alloc, MICA_FACTORY_CREATE, 3, 0, dst);
}

int mica_alloc_sub(mica_cap_t alloc, mica_word_t quota, mica_cap_t dst)
{
	mica_mr()[0] = MICA_PROTO_ALLOCATOR;
	mica_mr()[1] = quota;
	return call(alloc, MICA_FACTORY_CREATE, 2, 0, dst);
}

int mica_alloc_rm(mica_cap_t alloc, mica_cap_t task, mica_cap_t dst)
{
	mica_mr()[0] = MICA_PROTO_REGION_MAP;
	return call(alloc, MICA_FACTORY_CREATE, 1, task, dst);
}

int mica_alloc_info(mica_cap_t alloc, mica_word_t *limit, mica_word_t *used)
{
	return answer(call(alloc, MICA_FACTORY_INFO, 0, 0, 0), limit, used);
}

int mica_obj_delete(mica_cap_t obj)
{
	return call(obj, MICA_OBJ_DELETE, 0, 0, 0);
}

int mica_ds_info(mica_cap_t ds, mica_word_t *size, mica_word_t *flags)
{
	return answer(call(ds, MICA_DS_INFO, 0, 0, 0), size, flags);
}

int mica_ds_map(mica_cap_t ds, mica_word_t off, mica_word_t hot, mica_word_t rights, mica_word_t win,
		unsigned win_log2, mica_word_t *fpage)
{
	volatile mica_word_t *br = &mica_utcb()->br[MICA_BR_MEM_WINDOW];
	mica_word_t saved = *br;
	*br = mica_fpage_mem(win, win_log2, MICA_FPAGE_RWX);
	mica_mr()[0] = off;
	mica_mr()[1] = hot;
	mica_mr()[2] = rights;
	mica_msgtag_t t = mica_call(ds, MICA_DS_MAP, 3);
	*br = saved;
	if (fpage)
		*fpage = mica_msgtag_t_items(t) ? mica_mr()[1] : 0;
	return mica_error(t);
}

int mica_ds_clear(mica_cap_t ds, mica_word_t off, mica_word_t size)
{
	mica_mr()[0] = off;
	mica_mr()[1] = size;
	return call(ds, MICA_DS_CLEAR, 2, 0, 0);
}

int mica_ds_copy_in(mica_cap_t dst, mica_word_t dst_off, mica_cap_t src, mica_word_t src_off,
		    mica_word_t size)
{
	mica_mr()[0] = dst_off;
	mica_mr()[1] = src_off;
	mica_mr()[2] = size;
	return call(dst, MICA_DS_COPY_IN, 3, src, 0);
}

int mica_ds_phys(mica_cap_t ds, mica_word_t off, mica_word_t *pa, mica_word_t *bytes)
{
	mica_mr()[0] = off;
	return answer(call(ds, MICA_DS_PHYS, 1, 0, 0), pa, bytes);
}

int mica_rm_attach(mica_cap_t rm, mica_word_t *addr, mica_word_t size, mica_word_t off, mica_word_t flags,
		   mica_cap_t ds)
{
	mica_word_t *mr = mica_mr();
	mr[0] = *addr;
	mr[1] = size;
	mr[2] = off;
	mr[3] = flags;
	return answer(call(rm, MICA_RM_ATTACH, 4, ds, 0), addr, 0);
}

int mica_rm_detach(mica_cap_t rm, mica_word_t addr, mica_word_t *start, mica_word_t *size)
{
	mica_mr()[0] = addr;
	return answer(call(rm, MICA_RM_DETACH, 1, 0, 0), start, size);
}

int mica_rm_reserve(mica_cap_t rm, mica_word_t *addr, mica_word_t size, mica_word_t flags)
{
	mica_mr()[0] = *addr;
	mica_mr()[1] = size;
	mica_mr()[2] = flags;
	return answer(call(rm, MICA_RM_RESERVE, 3, 0, 0), addr, 0);
}

int mica_rm_find(mica_cap_t rm, mica_word_t addr, mica_word_t out[4])
{
	mica_mr()[0] = addr;
	int e = call(rm, MICA_RM_FIND, 1, 0, 0);
	for (unsigned i = 0; e == MICA_OK && i < 4; i++)
		out[i] = mica_mr()[i];
	return e;
}
