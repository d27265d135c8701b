/* The region map's insides, shared by its object code (rm.c) and its
 * fault path (pager.c): the map, its region nodes and the pages that
 * hold them. */
#pragma once

#include "regions.h"
#include "rm.h"

/* A region (ds set) or a reserved area (ds 0). */
struct rm_region {
	struct region node; /* first: the trees hand out struct region */
	struct mem_ds *ds;
	mica_word_t offset, flags;
};

/* The head of every page that holds region nodes: the map's own page
 * (the map's struct first, nodes after it) and the extra ones. */
struct rm_page {
	struct rm_page *prev, *next; /* on the map's list of pages with room */
	struct rm_region *free;	     /* freed nodes, linked through node.left */
	unsigned used, carved, cap;  /* nodes in use, ever handed out, room */
	bool avail;		     /* on the list */
	struct rm_region *first;     /* the page's first node */
};

struct mem_rm {
	struct rm_page home; /* first: a node's page starts with its rm_page */
	struct mica_srv_obj o;
	struct mem_owned own; /* on its allocator's list */
	struct mem *m;
	struct mem_alloc *owner;
	mica_cap_t task;		   /* the task it pages (WRITE) */
	struct region_tree regions, areas; /* attached regions; reserved areas */
	struct rm_page avail;		   /* list head of the pages with room */
};

/* Page faults and mappings (pager.c). */
/* MICA_LABEL_PAGE_FAULT: MR0 address, MR1 ip, MR2 access. */
int mem_rm_fault(struct mica_srv_req *r);
/* Maps every page of g into the task now (EAGER): MICA_OK or the error
 * of backing a page (NO_MEMORY) or of the map (pages mapped so far
 * stay: the caller detaches). */
int mem_rm_map_all(struct mem_rm *rm, const struct rm_region *g);
/* Removes the task's mappings in [start, start + size). */
void mem_rm_unmap(struct mem_rm *rm, mica_word_t start, mica_word_t size);
