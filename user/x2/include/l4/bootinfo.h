/* The generic boot information X.2 root servers find through the KIP's
 * BootInfo field (L4_BootInfo(kip)): a header and a chain of records, one
 * per boot module. The personality builds it in the root server's space
 * from Mica's KIP; a module's start is where its bytes are mapped there
 * (read-only), docs/x2.md "Boot modules". Simple-exec records (images a
 * boot loader placed in memory already) are not given: Mica's boot
 * loader hands over modules as they are. */
#pragma once

#include <l4/types.h>

#define L4_BOOTINFO_MAGIC 0x14b0021dul
#define L4_BOOTINFO_VERSION 1

/* Record types. */
#define L4_BootInfo_Module 0x0001

typedef struct {
	L4_Word_t magic;
	L4_Word_t version;
	L4_Word_t size;	       /* bytes, the records included */
	L4_Word_t first_entry; /* offset of the first record from the header */
	L4_Word_t num_entries;
	L4_Word_t reserved[3];
} L4_BootInfo_t;

/* What every record starts with. */
typedef struct {
	L4_Word_t type;
	L4_Word_t version;
	L4_Word_t offset_next; /* from this record to the next */
} L4_BootRec_t;

typedef struct {
	L4_Word_t type; /* L4_BootInfo_Module */
	L4_Word_t version;
	L4_Word_t offset_next;
	L4_Word_t start; /* the module's first byte */
	L4_Word_t size;
	L4_Word_t cmdline_offset; /* of its NUL-terminated command line, from this record */
} L4_Boot_Module_t;

L4_INLINE L4_Bool_t L4_BootInfo_Valid(void *b)
{
	return b != 0 && ((L4_BootInfo_t *)b)->magic == L4_BOOTINFO_MAGIC;
}

L4_INLINE L4_Word_t L4_BootInfo_Version(void *b)
{
	return ((L4_BootInfo_t *)b)->version;
}

L4_INLINE L4_Word_t L4_BootInfo_Size(void *b)
{
	return ((L4_BootInfo_t *)b)->size;
}

L4_INLINE L4_Word_t L4_BootInfo_Entries(void *b)
{
	return ((L4_BootInfo_t *)b)->num_entries;
}

L4_INLINE L4_BootRec_t *L4_BootInfo_FirstEntry(void *b)
{
	return (L4_BootRec_t *)((L4_Word_t)b + ((L4_BootInfo_t *)b)->first_entry);
}

L4_INLINE L4_BootRec_t *L4_BootRec_Next(L4_BootRec_t *r)
{
	return (L4_BootRec_t *)((L4_Word_t)r + r->offset_next);
}

L4_INLINE L4_Word_t L4_BootRec_Type(L4_BootRec_t *r)
{
	return r->type;
}

L4_INLINE L4_Word_t L4_BootRec_Version(L4_BootRec_t *r)
{
	return r->version;
}

L4_INLINE L4_Word_t L4_Module_Start(L4_BootRec_t *r)
{
	return ((L4_Boot_Module_t *)r)->start;
}

L4_INLINE L4_Word_t L4_Module_Size(L4_BootRec_t *r)
{
	return ((L4_Boot_Module_t *)r)->size;
}

L4_INLINE char *L4_Module_Cmdline(L4_BootRec_t *r)
{
	return (char *)r + ((L4_Boot_Module_t *)r)->cmdline_offset;
}
