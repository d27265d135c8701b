/* Host unit tests of the derivation trees' subtree removal.
 *
 * dtree_remove_subtree against the contract its proof harness states
 * (proofs/wp/dtree_walk.c): every node of top's subtree is handed to
 * remove() once, as a leaf with no sibling before it (top excepted), top
 * last; afterwards each of them is unlinked and the rest of the tree is
 * what it was, top bypassed. */
// links:
#include "unit.h"

#include "memory/dtree.h"

#define NODES 40

static struct dtree nodes[NODES];
static struct dtree *removed[NODES];
static unsigned nremoved;
static const struct dtree *walk_top;

/* The step: checks what the walk promises it, records the node, unlinks it. */
static unsigned remove_checked(struct dtree *n)
{
	assert_null(n->child);
	if (n != walk_top)
		assert_null(n->prev);
	assert_true(dtree_below(n, walk_top));
	for (unsigned i = 0; i < nremoved; i++)
		assert_ptr_not_equal(removed[i], n);
	removed[nremoved++] = n;
	dtree_unlink(n);
	return 1u << (n - nodes) % 8;
}

/* A tree of NODES nodes from a seed: node i's parent is one of 0..i-1 (or
 * none for a few roots), linked as first child (dtree_link, as the kernel
 * does). */
static void build(unsigned seed)
{
	memset(nodes, 0, sizeof nodes);
	for (unsigned i = 1; i < NODES; i++) {
		seed = seed * 1103515245u + 12345u;
		unsigned r = (seed >> 16) % (i + 2);
		dtree_link(r < i ? &nodes[r] : 0, &nodes[i]);
	}
}

static void removal_is_deepest_first_and_keeps_the_rest(void **state)
{
	(void)state;
	for (unsigned seed = 1; seed < 200; seed++) {
		for (unsigned t = 0; t < NODES; t += 7) {
			build(seed);
			struct dtree *top = &nodes[t];
			struct dtree before[NODES];
			bool in[NODES];
			unsigned count = 0;
			memcpy(before, nodes, sizeof nodes);
			for (unsigned i = 0; i < NODES; i++)
				count += in[i] = dtree_below(&nodes[i], top);
			struct dtree *parent = top->parent, *prev = top->prev, *next = top->next;
			nremoved = 0;
			walk_top = top;
			unsigned r = dtree_remove_subtree(top, remove_checked);
			unsigned want = 0;
			assert_int_equal(nremoved, count);
			assert_ptr_equal(removed[count - 1], top);
			/* Each node came after its descendants: remove_checked
			 * found it a leaf. */
			for (unsigned i = 0; i < count; i++)
				want |= 1u << (removed[i] - nodes) % 8;
			assert_int_equal(r, want);
			for (unsigned i = 0; i < NODES; i++) {
				struct dtree *x = &nodes[i];
				if (in[i]) {
					assert_null(x->parent);
					assert_null(x->child);
					assert_null(x->next);
					assert_null(x->prev);
					continue;
				}
				/* Outside: as before, but top's neighbours bypass it. */
				struct dtree want_x = before[i];
				if (x == prev)
					want_x.next = next;
				if (x == next)
					want_x.prev = prev;
				if (x == parent && !prev)
					want_x.child = next;
				assert_memory_equal(x, &want_x, sizeof want_x);
			}
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(removal_is_deepest_first_and_keeps_the_rest),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
