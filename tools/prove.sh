#!/bin/sh
# Runs Frama-C's WP on the kernel functions that carry ACSL contracts
# (docs/assurance.md): every goal, runtime errors (-wp-rte) and the
# contracts, must be proved, or it fails. One line per unit, then
# "prove: N functions, N goals proved of N" and "N passed, N failed".
#   tools/prove.sh BUILD_DIR
set -u
BUILD=${1:-build}
OUT=$BUILD/prove
mkdir -p "$OUT"
# Why3 finds the solvers once, into a file of ours (never ~/.why3.conf).
export WHY3CONFIG="$OUT/why3.conf"
[ -s "$WHY3CONFIG" ] || why3 config detect >"$OUT/why3-detect.log" 2>&1

# The kernel's own flags (Makefile KERNEL_CFLAGS: include path, -D), and
# proofs/wp/framac.h, which spells for Frama-C what its parser lacks.
CPP="-Iinclude -Ikernel -Ikernel/arch/x86_64/include -Ilib/include -Ilib/freestanding -I$BUILD/gen \
-DMICA_DEBUG -DMICA_FASTPATH=1 -ffreestanding -include proofs/wp/framac.h"
TIMEOUT=${PROVE_TIMEOUT:-20}

total=0 proved=0 nfun=0 failed_units=0 passed_units=0
# unit [--inline=F,G] [--no-filter] FILE FUNCTION...: the functions of one
# translation unit. WP sees through the inline functions named (default:
# all that are declared inline); a call to one not named is proved by its
# contract. --no-filter keeps every hypothesis in each goal: WP's filter
# drops those that do not name the goal's variables, such as "this entry
# is null" when the goal is a predicate (capspace_ok) that says null inside.
# --bits: goals the solvers leave open are tried again by WP's bit
# tactics: wp:bitwised makes an equation of two values in [0, 2^64) one
# equation per bit, which WP's simplifier decides for the rights masks;
# wp:bitrange bounds a value cut to a mask. --lemmas: see below.
unit() {
	inline=@inline
	filter=
	auto=
	case $1 in --inline=*)
		inline=${1#--inline=}
		shift
		;;
	esac
	case $1 in --bits)
		auto="-wp-auto wp:bitwised,wp:bitrange"
		shift
		;;
	esac
	case $1 in --no-filter)
		filter=-wp-no-filter
		shift
		;;
	esac
	lemmas=
	case $1 in --lemmas)
		lemmas=1
		shift
		;;
	esac
	file=$1
	shift
	fns=$(echo "$*" | tr ' ' ,)
	log=$OUT/$(echo "$file" | tr / _).log
	start=$(date +%s)
	# shellcheck disable=SC2086 # $auto and $filter are options, or none
	frama-c -c11 -machdep x86_64 -cpp-extra-args="$CPP" "$file" \
		-inline-calls "$inline" -wp -wp-rte -wp-fct "$fns" -wp-prover qed,z3,cvc4 -wp-timeout "$TIMEOUT" $auto \
		-wp-par 2 $filter -wp-warn-key pedantic-assigns=inactive -then -report >"$log" 2>&1
	rc=$?
	# --lemmas: the unit's ACSL lemmas, which the functions' proofs use,
	# are proved too (-wp-fct selects none of them).
	if [ -n "$lemmas" ]; then
		# shellcheck disable=SC2086 # $auto: options, or none
		frama-c -c11 -machdep x86_64 -cpp-extra-args="$CPP" "$file" -wp -wp-prop @lemma \
			-wp-prover qed,z3,cvc4 -wp-timeout "$TIMEOUT" $auto -wp-par 2 \
			-wp-warn-key pedantic-assigns=inactive >>"$log" 2>&1 || rc=$?
	fi
	p=$(grep 'Proved goals:' "$log" | sed -n 's,.*Proved goals: *\([0-9]*\) */ *\([0-9]*\).*,\1,p' |
		awk '{ s += $1 } END { if (NR) print s }')
	n=$(grep 'Proved goals:' "$log" | sed -n 's,.*Proved goals: *\([0-9]*\) */ *\([0-9]*\).*,\2,p' |
		awk '{ s += $1 } END { if (NR) print s }')
	end=$(date +%s)
	nfun=$((nfun + $#))
	if [ "$rc" = 0 ] && [ -n "$n" ] && [ "$p" = "$n" ] && ! grep -q 'Failure\|User Error' "$log"; then
		total=$((total + n))
		proved=$((proved + p))
		passed_units=$((passed_units + 1))
		echo "ok - $file ($*): $p/$n goals, $((end - start)) s"
	else
		total=$((total + ${n:-0}))
		proved=$((proved + ${p:-0}))
		failed_units=$((failed_units + 1))
		echo "not ok - $file ($*): ${p:-?}/${n:-?} goals, rc $rc (see $log)"
		grep -A2 '^\[wp\] \[\(Failed\|Timeout\|Unknown\)\]\|\[wp\] .*Goal .*: \(Unknown\|Timeout\|Failed\)' "$log" | head -20
	fi
}

unit lib/fpage.c space_bits fpage_decode item_decode low_bits block_offset item_region
unit kernel/ipc/ipc.c msgtag_check
# The capability space's walk and the lookups are proved each by itself;
# their callers use their contracts (the index helpers are seen through).
CAPIDX=capspace_top_index,capspace_mid_index,capspace_leaf_index
unit --inline=$CAPIDX --no-filter kernel/memory/capspace.c capspace_init capspace_slot capspace_next
unit --inline=$CAPIDX,cap_rights,cap_obj,dtree_link,dtree_unlink --bits --lemmas kernel/memory/cap.c capspace_lookup cap_lookup cap_check \
	cap_get_slot cap_snapshot cap_copy_checked cap_insert cap_derive cap_free_slot dtree_set_parent dtree_splice_out
# The mapping database: lookup, insert (derive) and revoke's step (the
# removal of one node from its tree with its mapping), each from the
# contracts of the others; the page-table accessors' contracts (arch/vm.h)
# and mapnode_of's are assumed (docs/assurance.md).
unit --inline=dtree_link,dtree_unlink kernel/memory/mapdb.c node_at derive leaf_of mapnode_free drop_leaf drop \
	remove_node dtree_replace

echo "prove: $nfun functions, $proved goals proved of $total"
echo "$passed_units passed, $failed_units failed"
[ "$failed_units" = 0 ]
