/* An AVL tree of non-overlapping regions keyed by start address
 * (regions.h). Recursion depth is the tree's height: at most about
 * 1.44 log2 n, so a few dozen frames for any number of regions. */
#include "regions.h"

#include <stddef.h>

static int height(const struct region *r)
{
	return r ? r->height : 0;
}

static void update(struct region *r)
{
	int l = height(r->left), h = height(r->right);
	r->height = 1 + (l > h ? l : h);
}

static struct region *rotate_right(struct region *r)
{
	struct region *l = r->left;
	r->left = l->right;
	l->right = r;
	update(r);
	update(l);
	return l;
}

static struct region *rotate_left(struct region *r)
{
	struct region *h = r->right;
	r->right = h->left;
	h->left = r;
	update(r);
	update(h);
	return h;
}

static struct region *balance(struct region *r)
{
	update(r);
	int b = height(r->left) - height(r->right);
	if (b > 1) {
		if (height(r->left->left) < height(r->left->right))
			r->left = rotate_left(r->left);
		return rotate_right(r);
	}
	if (b < -1) {
		if (height(r->right->right) < height(r->right->left))
			r->right = rotate_right(r->right);
		return rotate_left(r);
	}
	return r;
}

// NOLINTNEXTLINE(misc-no-recursion): depth is the AVL height, at most about 1.44 log2 n
static struct region *insert(struct region *root, struct region *r)
{
	if (!root)
		return r;
	if (r->start < root->start)
		root->left = insert(root->left, r);
	else
		root->right = insert(root->right, r);
	return balance(root);
}

/* Takes the lowest node out of the subtree; *min gets it. */
// NOLINTNEXTLINE(misc-no-recursion): depth is the AVL height
static struct region *remove_min(struct region *root, struct region **min)
{
	if (!root->left) {
		*min = root;
		return root->right;
	}
	root->left = remove_min(root->left, min);
	return balance(root);
}

// NOLINTNEXTLINE(misc-no-recursion): depth is the AVL height
static struct region *remove(struct region *root, const struct region *r)
{
	if (!root)
		return 0;
	if (r->start < root->start) {
		root->left = remove(root->left, r);
	} else if (r->start > root->start) {
		root->right = remove(root->right, r);
	} else {
		struct region *l = root->left, *h = root->right, *min;
		if (!h)
			return l;
		h = remove_min(h, &min);
		min->left = l;
		min->right = h;
		return balance(min);
	}
	return balance(root);
}

/* The region with the highest start <= addr, or 0. */
static struct region *floor_of(const struct region_tree *t, uint64_t addr)
{
	struct region *best = 0;
	for (struct region *n = t->root; n;) {
		if (n->start <= addr) {
			best = n;
			n = n->right;
		} else {
			n = n->left;
		}
	}
	return best;
}

struct region *regions_next(const struct region_tree *t, uint64_t addr)
{
	struct region *best = 0;
	for (struct region *n = t->root; n;) {
		if (n->start >= addr) {
			best = n;
			n = n->left;
		} else {
			n = n->right;
		}
	}
	return best;
}

struct region *regions_find(const struct region_tree *t, uint64_t addr)
{
	struct region *r = floor_of(t, addr);
	return r && addr - r->start < r->size ? r : 0;
}

struct region *regions_overlap(const struct region_tree *t, uint64_t start, uint64_t size)
{
	struct region *r = regions_find(t, start);
	if (r)
		return r;
	r = regions_next(t, start);
	return r && r->start - start < size ? r : 0;
}

bool regions_insert(struct region_tree *t, struct region *r)
{
	if (!r->size || r->start + r->size < r->start || regions_overlap(t, r->start, r->size))
		return false;
	r->left = r->right = 0;
	r->height = 1;
	t->root = insert(t->root, r);
	t->count++;
	return true;
}

void regions_remove(struct region_tree *t, struct region *r)
{
	t->root = remove(t->root, r);
	t->count--;
}

bool regions_free(const struct region_tree *t, uint64_t from, uint64_t size, uint64_t align, uint64_t limit,
		  uint64_t *at)
{
	uint64_t a = (from + align - 1) & ~(align - 1);
	if (a < from || !size)
		return false;
	/* Walks the regions from the one holding a, jumping past each that
	 * is in the way: one O(log n) step per region skipped. */
	for (;;) {
		if (a > limit || limit - a < size)
			return false;
		struct region *r = regions_overlap(t, a, size);
		if (!r) {
			*at = a;
			return true;
		}
		uint64_t past = r->start + r->size, next = (past + align - 1) & ~(align - 1);
		if (next < past)
			return false;
		a = next;
	}
}
