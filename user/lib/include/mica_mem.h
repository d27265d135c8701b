/* Client calls of the memory protocols (include/mica/factory.h,
 * dataspace.h, rm.h; docs/protocols.md §2-§4): what a program does with
 * its allocator (MICA_CAP_MEM), dataspaces and region map (MICA_CAP_RM).
 * Each returns the error of the call (MICA_OK, or what the server
 * answered); a created capability lands at the selector `dst` of the
 * caller's, replacing what was there. */
#pragma once

#include <mica/types.h>

/* ---- memory allocator (a user-level factory) ---- */
int mica_alloc_ds(mica_cap_t alloc, mica_word_t size, mica_word_t flags, mica_cap_t dst);
int mica_alloc_sub(mica_cap_t alloc, mica_word_t quota, mica_cap_t dst);
/* A region map for `task` (a capability with WRITE). */
int mica_alloc_rm(mica_cap_t alloc, mica_cap_t task, mica_cap_t dst);
int mica_alloc_info(mica_cap_t alloc, mica_word_t *limit, mica_word_t *used);

/* MICA_OBJ_DELETE of any user-level object. */
int mica_obj_delete(mica_cap_t obj);

/* ---- dataspace ---- */
int mica_ds_info(mica_cap_t ds, mica_word_t *size, mica_word_t *flags);
/* Maps the page holding `off` into the caller's window [win, win +
 * 2^win_log2) at hot spot `hot`, with `rights` (MICA_FPAGE_*); *fpage
 * (may be 0) gets the flexpage the server sent. */
int mica_ds_map(mica_cap_t ds, mica_word_t off, mica_word_t hot, mica_word_t rights, mica_word_t win,
		unsigned win_log2, mica_word_t *fpage);
int mica_ds_clear(mica_cap_t ds, mica_word_t off, mica_word_t size);
int mica_ds_copy_in(mica_cap_t dst, mica_word_t dst_off, mica_cap_t src, mica_word_t src_off,
		    mica_word_t size);
int mica_ds_phys(mica_cap_t ds, mica_word_t off, mica_word_t *pa, mica_word_t *bytes);

/* ---- region map ---- */
/* *addr: the address (or a hint, with MICA_RM_SEARCH) in, the region's
 * address out. */
int mica_rm_attach(mica_cap_t rm, mica_word_t *addr, mica_word_t size, mica_word_t off, mica_word_t flags,
		   mica_cap_t ds);
/* start and size (may be 0) get the region that went. */
int mica_rm_detach(mica_cap_t rm, mica_word_t addr, mica_word_t *start, mica_word_t *size);
int mica_rm_reserve(mica_cap_t rm, mica_word_t *addr, mica_word_t size, mica_word_t flags);
/* out: start, size, offset and flags of the region holding addr. */
int mica_rm_find(mica_cap_t rm, mica_word_t addr, mica_word_t out[4]);
