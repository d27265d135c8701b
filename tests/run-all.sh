#!/bin/sh
# Runs every test and ends with the line "N passed, N failed":
#   host unit tests (cmocka, ASan + UBSan), the QEMU tests, the
#   in-system suite (on 1 and on 4 CPUs), the benchmark smoke run, the hostile-user fuzzer (on 1 and on 4 CPUs), the protocol fuzzer, a short run of the libFuzzer
#   harnesses, the proofs and the model, static analysis, the include-layout check, the formatting check and the source map. Exits non-zero if anything failed.
#   tests/run-all.sh BUILD_DIR [NOFASTPATH_BUILD_DIR]
set -u
BUILD=${1:-build}
NOFP=${2:-}
LOGS=$BUILD/test-logs
mkdir -p "$LOGS"
passed=0 failed=0 skipped=0

# Counts the TAP lines of one suite's output file, prints the failures.
# A TAP skip ("ok N - name # SKIP why": a case that needs more CPUs than
# the run has) is counted apart, not as a pass.
tally() {
	p=$(grep '^ok ' "$1" | grep -vc ' # SKIP')
	s=$(grep '^ok ' "$1" | grep -c ' # SKIP')
	f=$(grep -c '^not ok ' "$1")
	passed=$((passed + p))
	failed=$((failed + f))
	skipped=$((skipped + s))
	grep '^not ok ' "$1" | sed "s/^/$2: /"
	if [ "$s" != 0 ]; then
		echo "$2: $p passed, $f failed, $s skipped"
	else
		echo "$2: $p passed, $f failed"
	fi
}

# A check that is one make target: one TAP line, with the target's last
# output line.
make_check() { # make_check NAME MAKE-ARGS...
	name=$1
	shift
	if make --no-print-directory "$@" >"$LOGS/$name.log" 2>&1; then
		echo "ok 1 - $name: $(tail -1 "$LOGS/$name.log")" >"$LOGS/$name.tap"
	else
		echo "not ok 1 - $name: $(tail -1 "$LOGS/$name.log") (see $LOGS/$name.log)" >"$LOGS/$name.tap"
	fi
	tally "$LOGS/$name.tap" "$name"
}

echo "== host unit tests (cmocka, AddressSanitizer, UndefinedBehaviorSanitizer)"
for t in "$BUILD"/tests/test_*; do
	case $t in *.d) continue ;; esac
	name=$(basename "$t")
	log=$LOGS/$name.log
	CMOCKA_MESSAGE_OUTPUT=TAP "$t" >"$log" 2>&1
	rc=$?
	# A crash (a sanitizer report) ends a suite early: count it as a failure.
	if [ "$rc" != 0 ] && ! grep -q '^not ok ' "$log"; then
		echo "not ok - $name exited with status $rc (see $log)" >>"$log"
	fi
	tally "$log" "$name"
done

echo "== QEMU tests (TCG)"
sh tests/qemu/run.sh "$BUILD" >"$LOGS/qemu.tap" 2>&1
tally "$LOGS/qemu.tap" qemu

# The suite on 1 CPU and on 4 (threads on every CPU), with the fast path
# and without; on 1 CPU the cases that need more are skips.
echo "== in-system suite (ktest)"
sh tests/ktest.sh "$BUILD" >"$LOGS/ktest.tap" 2>&1
tally "$LOGS/ktest.tap" ktest
echo "== in-system suite on 4 CPUs (ktest)"
sh tests/ktest.sh "$BUILD" 4 >"$LOGS/ktest-4cpu.tap" 2>&1
tally "$LOGS/ktest-4cpu.tap" ktest-4cpu
if [ -n "$NOFP" ]; then
	echo "== in-system suite without the IPC fast path (ktest, FASTPATH=0)"
	sh tests/ktest.sh "$NOFP" >"$LOGS/ktest-nofp.tap" 2>&1
	tally "$LOGS/ktest-nofp.tap" ktest-nofp
	echo "== in-system suite on 4 CPUs without the IPC fast path (ktest, FASTPATH=0)"
	sh tests/ktest.sh "$NOFP" 4 >"$LOGS/ktest-nofp-4cpu.tap" 2>&1
	tally "$LOGS/ktest-nofp-4cpu.tap" ktest-nofp-4cpu
fi

echo "== benchmarks, as a smoke test (make bench ITER=200: complete, well-formed JSON)"
if make --no-print-directory bench ITER=200 BUILD="$BUILD" >"$LOGS/bench.log" 2>&1; then
	sh tools/check-bench.sh "$BUILD/bench/results.json" >"$LOGS/bench.tap" 2>&1
else
	echo "not ok 1 - bench: make bench ITER=200 failed (see $LOGS/bench.log)" >"$LOGS/bench.tap"
fi
tally "$LOGS/bench.tap" bench

echo "== hostile-user fuzzer (make fuzz ITER=20000 SEED=1)"
make_check fuzz fuzz ITER=20000 SEED=1 BUILD="$BUILD"
# Its threads placed round-robin on every CPU threads may be placed on.
echo "== hostile-user fuzzer on 4 CPUs (make fuzz CPUS=4 ITER=20000 SEED=2)"
make_check fuzz-4cpu fuzz CPUS=4 ITER=20000 SEED=2 BUILD="$BUILD"

echo "== protocol fuzzer of the user-level servers (make fuzz-services ITER=5000 SEED=1)"
make_check fuzz-services fuzz-services ITER=5000 SEED=1 BUILD="$BUILD"

echo "== libFuzzer harnesses of the parsers, a short run (make fuzz-host SECONDS=5 SEED=1)"
make --no-print-directory fuzz-host SECONDS=5 SEED=1 BUILD="$BUILD" >"$LOGS/fuzz-host.log" 2>&1
if ! grep -qE '^(not )?ok ' "$LOGS/fuzz-host.log"; then
	echo "not ok 1 - fuzz-host did not run (see $LOGS/fuzz-host.log)" >>"$LOGS/fuzz-host.log"
fi
tally "$LOGS/fuzz-host.log" fuzz-host

# One TAP line per proved translation unit and per model check; a run
# that printed none (a missing tool) counts as a failure.
echo "== proofs (make prove: Frama-C WP, every goal of the ACSL contracts and -wp-rte)"
make --no-print-directory prove BUILD="$BUILD" >"$LOGS/prove.log" 2>&1
grep -qE '^(not )?ok ' "$LOGS/prove.log" || echo "not ok 1 - prove did not run (see $LOGS/prove.log)" >>"$LOGS/prove.log"
tally "$LOGS/prove.log" prove
echo "== model (make model: SPIN, the exhaustive check of proofs/model/ipc.pml and its seeded bugs)"
make --no-print-directory model BUILD="$BUILD" >"$LOGS/model.log" 2>&1
grep -qE '^(not )?ok ' "$LOGS/model.log" || echo "not ok 1 - model did not run (see $LOGS/model.log)" >>"$LOGS/model.log"
tally "$LOGS/model.log" model

echo "== static analysis (make lint: cppcheck, clang-tidy)"
make_check lint lint BUILD="$BUILD"

echo "== layout (make check-layout: core includes only the arch hooks, arch and platform code no core headers)"
make_check layout check-layout

echo "== formatting (clang-format; 'make format' mends it)"
make_check format format-check

echo "== the source map in docs/architecture.md ('make source-map' rewrites it)"
make_check source-map check-source-map

[ "$skipped" != 0 ] && echo "$skipped skipped (cases that need more CPUs than their run has)"
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
