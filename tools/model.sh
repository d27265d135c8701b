#!/bin/sh
# Checks the SPIN model of IPC, destruction and unmap across CPUs
# (proofs/model/ipc.pml, docs/assurance.md): an exhaustive search of every
# state within the model's bounds, for assertion violations and invalid
# end states (deadlocks); then each seeded bug (a mutant the model must
# catch) once, to show the properties are not vacuous. Ends with
# "N passed, N failed".
#   tools/model.sh BUILD_DIR
set -u
BUILD=${1:-build}
OUT=$BUILD/model
mkdir -p "$OUT"
MODEL=$(pwd)/proofs/model/ipc.pml
passed=0 failed=0

# check NAME EXPECT DEFINES...: builds the verifier with DEFINES and runs
# it; EXPECT is 0 (no error may be found) or 1 (an error must be found).
check() {
	name=$1 expect=$2
	shift 2
	dir=$OUT/$name
	mkdir -p "$dir"
	start=$(date +%s)
	# SAFETY: assertions and end states; COLLAPSE: compressed states, so
	# the full search fits in memory; -m: the search depth it needs. A
	# mutant's search stops at its first error: compiling is most of its
	# time, so it is compiled without optimization.
	opt=-O2
	[ "$expect" = 1 ] && opt=-O0
	if ! (cd "$dir" && spin -a "$@" "$MODEL" >spin.log 2>&1 &&
		gcc $opt -w -DSAFETY -DCOLLAPSE -DVECTORSZ=2048 -o pan pan.c >>spin.log 2>&1); then
		echo "not ok - $name: spin or gcc failed (see $dir/spin.log)"
		failed=$((failed + 1))
		return
	fi
	(cd "$dir" && ./pan -m100000 >pan.log 2>&1)
	end=$(date +%s)
	errors=$(sed -n 's/.*errors: \([0-9]*\).*/\1/p' "$dir/pan.log" | tail -1)
	states=$(sed -n 's/^ *\([0-9.e+]*\) states, stored.*/\1/p' "$dir/pan.log" | tail -1)
	depth=$(sed -n 's/.*depth reached \([0-9]*\).*/\1/p' "$dir/pan.log" | tail -1)
	complete=yes
	grep -q 'Search not completed\|max search depth too small' "$dir/pan.log" && complete=no
	if [ "$expect" = 0 ] && [ "$errors" = 0 ] && [ "$complete" = yes ]; then
		echo "ok - $name: $states states, depth $depth, no error, $((end - start)) s"
		passed=$((passed + 1))
	elif [ "$expect" = 1 ] && [ -n "$errors" ] && [ "$errors" != 0 ]; then
		what=$(grep -m1 'pan:1:\|pan: invalid end state\|assertion violated' "$dir/pan.log")
		echo "ok - $name: the seeded bug is found ($what), $((end - start)) s"
		passed=$((passed + 1))
	else
		echo "not ok - $name: errors ${errors:-?}, complete $complete (see $dir/pan.log)"
		failed=$((failed + 1))
	fi
}

check ipc 0
# The seeded bugs: each breaks one rule the kernel relies on.
check mutant-no-requests-while-spinning 1 -DMUTANT_NO_SERVE_IN_SPIN
check mutant-lock-wait-counts-as-quiescent 1 -DMUTANT_LOCK_WAIT_QUIESCENT
check mutant-gate-keeps-receivers 1 -DMUTANT_GATE_KEEPS_RECEIVERS
check mutant-reply-right-kept 1 -DMUTANT_REPLY_RIGHT_KEPT
check mutant-no-shootdown 1 -DMUTANT_NO_SHOOTDOWN
check mutant-cpu-locks-out-of-order 1 -DMUTANT_CPU_LOCK_ORDER
check mutant-no-gate-lock 1 -DMUTANT_NO_GATE_LOCK

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
