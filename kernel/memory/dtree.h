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

/*@ // The siblings from `from` on, along the next links: `to` is one of
    // them, or null if the list ends. Its definition is the equation
    // below (WP translates an inductive definition into its cases only,
    // without the converse the walks need); with it, transitivity, a
    // fact of every list that the solvers cannot derive (it takes an
    // induction). Both assumed, docs/assurance.md.
    axiomatic DtreeSiblings {
	predicate dtree_sib{L}(struct dtree *from, struct dtree *to) reads from->next;
	axiom dtree_sib_def{L}: \forall struct dtree *from, *to;
	    dtree_sib(from, to) <==> (from == to || (from != \null && dtree_sib(from->next, to)));
	axiom dtree_sib_trans{L}: \forall struct dtree *a, *b, *c;
	    dtree_sib(a, b) && dtree_sib(b, c) ==> dtree_sib(a, c);
    }

    logic struct dtree *dtree_next{L}(struct dtree *x) = x->next;

    // A list of siblings that can be followed: it ends, and its nodes are
    // valid and apart from one another.
    predicate dtree_list_ok{L}(struct dtree *first) =
	dtree_sib(first, \null) &&
	(\forall struct dtree *c; dtree_sib(first, c) && c != \null ==> \valid(c)) &&
	(\forall struct dtree *c, *d; dtree_sib(first, c) && dtree_sib(first, d) && c != d ==>
	    \separated(c, d));
*/

/* n takes old's place: its parent, its place among its siblings and its
 * children (grant); old leaves the tree. */
/*@ requires \valid(old) && \valid(n) && \separated(old, n);
    requires linked: (old->parent == \null || \valid(old->parent)) &&
	(old->prev == \null || \valid(old->prev)) && (old->next == \null || \valid(old->next));
    requires apart: \separated(old->parent, old, n) && \separated(old->prev, old, n) &&
	\separated(old->next, old, n);
    requires apart_links: \separated(old->parent, old->prev, old->next);
    requires children: dtree_list_ok(old->child);
    requires children_apart: \forall struct dtree *c; dtree_sib(old->child, c) && c != \null ==>
	\separated(c, old, n, old->parent, old->prev, old->next);
    assigns *n, *old, old->parent->child, old->prev->next, old->next->prev,
	{ c->parent | struct dtree *c; \at(dtree_sib(old->child, c), Pre) && c != \null };
    ensures its_place: n->parent == \old(old->parent) && n->prev == \old(old->prev) &&
	n->next == \old(old->next) && n->child == \old(old->child);
    ensures linked_in: (\old(old->prev) != \null ==> \old(old->prev)->next == n) &&
	(\old(old->prev) == \null && \old(old->parent) != \null ==> \old(old->parent)->child == n) &&
	(\old(old->next) != \null ==> \old(old->next)->prev == n);
    ensures children: \forall struct dtree *c; \old(dtree_sib(old->child, c)) && c != \null ==>
	c->parent == n;
    ensures unlinked: old->parent == \null && old->child == \null && old->next == \null &&
	old->prev == \null;
*/
static inline void dtree_replace(struct dtree *old, struct dtree *n)
{
	struct dtree *parent = old->parent, *prev = old->prev, *next = old->next, *child = old->child;
	struct dtree *c = child;
	/*@ loop invariant done: \forall struct dtree *x; dtree_sib{Pre}(child, x) && x != \null ==>
		x->parent == n || dtree_sib{Pre}(c, x);
	    loop invariant nexts_kept: \forall struct dtree *x; dtree_sib{Pre}(child, x) && x != \null ==>
		x->next == dtree_next{Pre}(x);
	    loop invariant on_list: dtree_sib{Pre}(child, c);
	    loop assigns c, { x->parent | struct dtree *x; dtree_sib{Pre}(child, x) && x != \null };
	*/
	for (; c; c = c->next) {
		/*@ assert apart_from_rest: \forall struct dtree *x;
			dtree_sib{Pre}(child, x) && x != \null && x != c ==> \separated(c, x); */
		//@ assert next_kept: c->next == dtree_next{Pre}(c);
		//@ assert next_on_list: dtree_sib{Pre}(c, c->next);
		c->parent = n;
	}
	n->parent = parent;
	n->prev = prev;
	n->next = next;
	n->child = child;
	if (prev)
		prev->next = n;
	else if (parent)
		parent->child = n;
	if (next)
		next->prev = n;
	old->parent = old->child = old->next = old->prev = 0;
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
