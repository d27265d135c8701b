#!/bin/sh
# Runs the in-system test suite (user/tests/ktest) under QEMU TCG with
# -icount (deterministic time: the time_, timeout_ and sched_ cases) and a
# time limit and prints its TAP lines. The run counts as complete only if
# the kernel ended it (nothing left to run), the plan's cases all reported
# and the suite's own summary says nothing failed; otherwise a "not ok"
# line says why.
#   tests/ktest.sh BUILD_DIR [CPUS]
# CPUS (default 1) is the number of virtual CPUs QEMU gives the machine;
# every CPU must come online, and the log of a run on more than one is
# ktest-Ncpu.log.
set -u
BUILD=${1:-build}
CPUS=${2:-1}
bad=0
if [ "$CPUS" = 1 ]; then
	LOG=$BUILD/test-logs/ktest.log
else
	LOG=$BUILD/test-logs/ktest-${CPUS}cpu.log
fi
mkdir -p "$(dirname "$LOG")"
# ONLY=prefix runs only the cases whose names start with it.
. tests/ktest-modules.sh
case "${ONLY:-}" in x2_*) KTEST_MODULES=$KTEST_X2_MODULES ;; esac
eval "sh tools/qemu.sh --kernel \"\$BUILD/kernel.elf\" --module \"\$BUILD/user/sigma0.elf\" \
	--module \"\$BUILD/user/ktest.elf \${ONLY:-}\" $KTEST_MODULES --cpus \"\$CPUS\" --cpu qemu64,+svm,+npt --test --icount --timeout 300" >"$LOG" 2>&1
status=$?
tr -d '\r' <"$LOG" | grep -E '^(not )?ok [0-9]+ - '
plan=$(tr -d '\r' <"$LOG" | sed -n 's/^1\.\.\([0-9][0-9]*\)$/\1/p' | head -1)
reported=$(tr -d '\r' <"$LOG" | grep -cE '^(not )?ok [0-9]+ - ')
if [ "$status" != 37 ]; then
	echo "not ok - ktest run did not end normally: QEMU status $status (see $LOG)"
	bad=1
elif [ -z "$plan" ] || [ "$plan" != "$reported" ]; then
	echo "not ok - ktest reported $reported of ${plan:-?} cases (see $LOG)"
	bad=1
elif ! tr -d '\r' <"$LOG" | grep -qE '^[0-9]+ passed, 0 failed$'; then
	bad=1
fi
if ! tr -d '\r' <"$LOG" | grep -qE "^smp: $CPUS CPU\\(s\\) found, $CPUS online\$"; then
	echo "not ok - not all of the $CPUS CPU(s) came online (see $LOG)"
	bad=1
fi
if tr -d '\r' <"$LOG" | grep -q '^PANIC'; then
	echo "not ok - kernel panic during ktest (see $LOG)"
	bad=1
fi
# The suite's own summary lines, as the root task printed them: skips
# (cases that need more CPUs than this run has) are counted apart.
tr -d '\r' <"$LOG" | grep -E '^ktest: [0-9]+ skipped$' | tail -1
tr -d '\r' <"$LOG" | grep -E '^[0-9]+ passed, [0-9]+ failed$' | tail -1
exit $bad
