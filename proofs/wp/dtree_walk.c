/* PARTIAL (issue 26): the proof harness of dtree_remove_subtree's walk
 * (kernel/memory/dtree.h), not yet part of make prove: most of its goals
 * close, the loop's preservation after a removal does not yet
 * (docs/assurance.md, "Partial"). The walk below is dtree_remove_subtree's
 * loop as it stands, with the call through its function pointer made to
 * remove_step, whose contract is what every remove() must do: unlink the
 * leaf it is given, bypassing it among its siblings, and write no other
 * link. WP proves a call through a pointer only against a `calls` list
 * of named functions, which a walk shared by three trees cannot name.
 * Run it by hand:
 *   frama-c -c11 -machdep x86_64 -cpp-extra-args="<tools/prove.sh's CPP>" \
 *     proofs/wp/dtree_walk.c -wp -wp-rte -wp-fct remove_subtree_walk \
 *     -wp-prover qed,z3,cvc4 -wp-timeout 40 */
#include "memory/dtree.h"

/* What remove() does: n, a leaf, leaves its parent and siblings. */

/*@ requires \valid(n) && n->child == \null;
    requires (n->prev == \null || \valid(n->prev)) && (n->next == \null || \valid(n->next)) &&
	(n->parent == \null || \valid(n->parent));
    requires \separated(n, n->prev) && \separated(n, n->next) && \separated(n, n->parent);
    requires dtree_apart3(n->prev, n->next, n->parent);
    assigns *n, n->prev->next, n->next->prev, n->parent->child;
    ensures unlinked: dtree_unlinked(n);
    ensures bypassed: \old(n->prev) != \null ==> \old(n->prev)->next == \old(n->next);
    ensures first_child: \old(n->prev) == \null && \old(n->parent) != \null ==>
	\old(n->parent)->child == \old(n->next);
    ensures back_link: \old(n->next) != \null ==> \old(n->next)->prev == \old(n->prev);
*/
unsigned remove_step(struct dtree *n);

/* dtree_remove_subtree(top, remove): every node of top's subtree (as it
 * was) ends unlinked; top's neighbours bypass it; nothing outside the
 * subtree but those three links is written. The assertions in the loop
 * are the steps of the proof: the path from n up to top, the untouched
 * subtrees hanging off it, and what one removal changes. */

/*@ requires dtree_subtree_ok(top);
    assigns { *x | struct dtree *x; \at(dtree_in(x, top), Pre) }, top->parent->child, top->prev->next,
	top->next->prev;
    ensures gone: \forall struct dtree *x; \old(dtree_in(x, top)) ==> dtree_unlinked(x);
    ensures bypassed: \old(top->prev) != \null ==> \old(top->prev)->next == \old(top->next);
    ensures first_child: \old(top->prev) == \null && \old(top->parent) != \null ==>
	\old(top->parent)->child == \old(top->next);
    ensures back_link: \old(top->next) != \null ==> \old(top->next)->prev == \old(top->prev);
*/
unsigned remove_subtree_walk(struct dtree *top)
{
	unsigned r = 0;
	struct dtree *n = top;
	/*@ loop invariant in: dtree_in{Pre}(n, top);
	    loop invariant kept: dtree_rm_kept{Pre, Here}(top);
	    loop invariant left: dtree_rm_left{Pre, Here}(top, n);
	    loop invariant below_head: dtree_rm_below_head{Pre, Here}(top, n);
	    loop invariant path_child: dtree_rm_path_child{Pre, Here}(top, n);
	    loop invariant path_first: dtree_rm_path_first{Pre, Here}(top, n);
	    loop invariant top: dtree_rm_top{Pre, Here}(top);
	    loop assigns n, r, { *x | struct dtree *x; \at(dtree_in(x, top), Pre) }, top->parent->child,
		top->prev->next, top->next->prev;
	*/
	for (;;) {
		/*@ loop invariant in: dtree_in{Pre}(n, top);
	    loop invariant kept: dtree_rm_kept{Pre, Here}(top);
	    loop invariant left: dtree_rm_left{Pre, Here}(top, n);
	    loop invariant below_head: dtree_rm_below_head{Pre, Here}(top, n);
	    loop invariant path_child: dtree_rm_path_child{Pre, Here}(top, n);
	    loop invariant path_first: dtree_rm_path_first{Pre, Here}(top, n);
	    loop invariant top: dtree_rm_top{Pre, Here}(top);
		    loop assigns n;
		*/
		while (n->child) {
			//@ assert on_path: dtree_on_path{Pre}(top, n, n);
			/*@ assert listed: dtree_sib{Pre}(dtree_child{Pre}(n), n->child) &&
				n->child->prev == \null; */
			//@ assert its_parent: dtree_parent{Pre}(n->child) == n;
			//@ assert in_tree: dtree_in{Pre}(n->child, top);
			//@ assert off_path: !dtree_on_path{Pre}(top, n, n->child);
			//@ assert head: dtree_untouched_head{Pre, Here}(top, n, n->child);
			//@ assert untouched: dtree_untouched{Pre, Here}(n->child);
			/*@ assert path_grows: \forall struct dtree *x;
				dtree_on_path{Pre}(top, n->child, x) <==> (x == n->child ||
					dtree_on_path{Pre}(top, n, x)); */
			/*@ assert heads_kept: \forall struct dtree *y; dtree_untouched_head{Pre, Here}(top,
			   n, y) && y != n->child ==> dtree_untouched_head{Pre, Here}(top, n->child, y); */
			/*@ assert child_heads: \forall struct dtree *y; y != \null &&
				dtree_parent{Pre}(y) == n->child ==>
				dtree_untouched_head{Pre, Here}(top, n->child, y); */
			/*@ assert heads_new: \forall struct dtree *y; dtree_untouched_head{Pre, Here}(top,
			   n->child, y) ==> dtree_untouched_head{Pre, Here}(top, n, y) || dtree_parent{Pre}(y)
			   == n->child; */
			/*@ assert below_child: \forall struct dtree *x, *y; y != \null &&
				dtree_parent{Pre}(y) == n->child &&
				dtree_anc{Pre}(x, y) ==> dtree_anc{Pre}(x, n->child); */
			//@ assert grandchild: n->child->child == dtree_child{Pre}(n->child);
			/*@ assert grandchild_first: n->child->child != \null ==>
				n->child->child->prev == \null; */
			n = n->child;
		}
		//@ assert on_path: dtree_on_path{Pre}(top, n, n);
		/*@ assert top_is_top: n == top ==> n->prev == \at(top->prev, Pre) &&
			n->next == \at(top->next, Pre) && n->parent == \at(top->parent, Pre); */
		/*@ assert first: n != top ==> n->prev == \null && n->parent == dtree_parent{Pre}(n) &&
			n->next == dtree_next{Pre}(n) && n->parent->child == n; */
		struct dtree *up = n->parent;
		//@ assert up_in: n != top ==> dtree_in{Pre}(up, top);
		//@ assert listed: n != top ==> dtree_sib{Pre}(dtree_child{Pre}(up), n);
		//@ assert sib_next: n != top ==> dtree_sib{Pre}(n, n->next);
		//@ assert listed_next: n != top ==> dtree_sib{Pre}(dtree_child{Pre}(up), n->next);
		//@ assert next_parent: n != top && n->next != \null ==> dtree_parent{Pre}(n->next) == up;
		//@ assert next_in: n != top && n->next != \null ==> dtree_in{Pre}(n->next, top);
		bool last = n == top;
		/*@ assert only_top: n == top ==> \forall struct dtree *x; dtree_on_path{Pre}(top, n, x) ==>
			x == top; */
		/*@ assert no_heads: n == top ==>
			\forall struct dtree *y; !dtree_untouched_head{Pre, Here}(top, n, y); */
		/*@ assert all_gone: n == top ==> \forall struct dtree *x; dtree_in{Pre}(x, top) &&
			x != top ==>
			dtree_unlinked(x); */
	removing:
		r |= remove_step(n);
		if (last) {
			/*@ assert still_gone: \forall struct dtree *x; dtree_in{Pre}(x, top) && x != top ==>
				dtree_unlinked(x); */
			return r;
		}
		/*@ assert apart_n: \forall struct dtree *x; dtree_in{Pre}(x, top) && x != n ==>
			\separated(x, n); */
		/*@ assert apart_up: \forall struct dtree *x; dtree_in{Pre}(x, top) && x != up ==>
			\separated(x, up); */
		/*@ assert apart_next: dtree_next{Pre}(n) != \null ==>
			\forall struct dtree *x; dtree_in{Pre}(x, top) &&
			x != dtree_next{Pre}(n) ==> \separated(x, dtree_next{Pre}(n)); */
		//@ assert unlinked: dtree_unlinked(n);
		//@ assert bypass: up->child == dtree_next{Pre}(n);
		//@ assert back: dtree_next{Pre}(n) != \null ==> dtree_next{Pre}(n)->prev == \null;
		/*@ assert links_kept: \forall struct dtree *x; dtree_in{Pre}(x, top) && x != n ==>
			x->parent == \at(x->parent, removing) && x->next == \at(x->next, removing); */
		/*@ assert children_kept: \forall struct dtree *x; dtree_in{Pre}(x, top) && x != n &&
			x != up ==>
			x->child == \at(x->child, removing); */
		/*@ assert prevs_kept: \forall struct dtree *x; dtree_in{Pre}(x, top) && x != n &&
			x != dtree_next{Pre}(n) ==> x->prev == \at(x->prev, removing); */
		/*@ assert top_kept: top->parent == \at(top->parent, removing) &&
			top->next == \at(top->next, removing) &&
			top->prev == \at(top->prev, removing); */
		//@ assert n_off: !dtree_on_path{Pre}(top, up, n);
		//@ assert next_off: !dtree_on_path{Pre}(top, up, dtree_next{Pre}(n));
		/*@ assert heads_before: \forall struct dtree *y; dtree_untouched_head{Pre, removing}(top, n,
		   y) ==> dtree_untouched_head{Pre, Here}(top, up, y); */
		/*@ assert heads_after: \forall struct dtree *y; dtree_untouched_head{Pre, Here}(top, up, y)
		   ==> dtree_untouched_head{Pre, removing}(top, n, y); */
		/*@ assert below_head_off: \forall struct dtree *x, *y; dtree_untouched_head{Pre,
		   removing}(top, n, y) && dtree_anc{Pre}(x, y) ==> x != n && x != up; */
		/*@ assert path_children: \forall struct dtree *z; dtree_on_path{Pre}(top, up, z) &&
			z != up ==>
			z->child == \at(z->child, removing) && z->child != dtree_next{Pre}(n); */
		/*@ assert path_parents: \forall struct dtree *z; dtree_on_path{Pre}(top, up, z) &&
			z != top ==>
			dtree_parent{Pre}(z) != up && dtree_parent{Pre}(z) != n && z != n; */
		/*@ assert n_no_head: \forall struct dtree *y; dtree_parent{Pre}(y) == n ==>
			!dtree_untouched_head{Pre, removing}(top, n, y); */
		//@ assert up_on_path: dtree_on_path{Pre}(top, n, up);
		/*@ assert path_shrinks: \forall struct dtree *x;
			dtree_on_path{Pre}(top, n, x) <==> (x == n || dtree_on_path{Pre}(top, up, x)); */
		n = up;
	}
}
