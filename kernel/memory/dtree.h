/* Derivation trees: what was mapped (or copied) from what. Memory pages,
 * I/O ports and capabilities each keep one, with the same links embedded
 * in their nodes; the walks here never recurse on the kernel stack. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

struct dtree {
	struct dtree *parent, *child; /* child: the first one */
	struct dtree *next, *prev;    /* siblings */
};

#define dtree_entry(p, type, member) ((type *)((char *)(p)-offsetof(type, member)))

/* n (unlinked) becomes parent's first child; parent 0: a root. */
static inline void dtree_link(struct dtree *parent, struct dtree *n)
{
	n->parent = parent;
	n->prev = 0;
	n->next = parent ? parent->child : 0;
	if (n->next)
		n->next->prev = n;
	if (parent)
		parent->child = n;
}

/* n leaves its parent (its own children stay with it). */
static inline void dtree_unlink(struct dtree *n)
{
	if (n->prev)
		n->prev->next = n->next;
	else if (n->parent)
		n->parent->child = n->next;
	if (n->next)
		n->next->prev = n->prev;
	n->next = n->prev = n->parent = 0;
}

/* n (unlinked) takes old's place: its parent and its children. */
static inline void dtree_replace(struct dtree *old, struct dtree *n)
{
	dtree_link(old->parent, n);
	n->child = old->child;
	for (struct dtree *c = n->child; c; c = c->next)
		c->parent = n;
	old->child = 0;
	dtree_unlink(old);
}

/* n's children become its parent's (delete without revoke). */
static inline void dtree_lift_children(struct dtree *n)
{
	while (n->child) {
		struct dtree *c = n->child;
		dtree_unlink(c);
		dtree_link(n->parent, c);
	}
}

/* Whether n is ancestor or lies below it. */
static inline bool dtree_below(const struct dtree *n, const struct dtree *ancestor)
{
	for (; n; n = n->parent)
		if (n == ancestor)
			return true;
	return false;
}

/* The node after n's subtree in a pre-order walk of top's, or 0. */
static inline struct dtree *dtree_skip(struct dtree *n, const struct dtree *top)
{
	while (n != top && !n->next)
		n = n->parent;
	return n == top ? 0 : n->next;
}

/* Calls remove() on every node of top's subtree, deepest first and top
 * last; remove() must unlink the node it is given (a leaf by then).
 * Returns the OR of what remove() returned. */
static inline unsigned dtree_remove_subtree(struct dtree *top, unsigned (*remove)(struct dtree *))
{
	unsigned r = 0;
	struct dtree *n = top;
	for (;;) {
		while (n->child)
			n = n->child;
		struct dtree *up = n->parent;
		bool last = n == top;
		r |= remove(n);
		if (last)
			return r;
		n = up;
	}
}
