#!/bin/sh
# make fuzz ITER=N SEED=S: boots the fuzzer (user/tests/fuzz) under QEMU
# TCG with -icount (so the same N and S replay the same run) and ends with
# "fuzz: N invocations, M kernel failures". A kernel panic (an invariant
# violation among them) or a kernel that stops answering ends the run as
# one failure, reported with the seed and the operation's index (the
# current thread's user handle, which the fuzzer sets to it).
#   tools/fuzz.sh BUILD_DIR ITER SEED [CPUS]
# CPUS (default 1): the machine's CPUs (all online; the fuzzer's threads
# are placed round-robin on the CPUs the scheduler lets them use, which is
# CPU 0 alone until placement on the others lands).
set -u
BUILD=${1:-build}
ITER=${2:-20000}
SEED=${3:-1}
CPUS=${4:-1}
LOG=$BUILD/test-logs/fuzz.log
mkdir -p "$(dirname "$LOG")"
# About 2 ms of wall time per invocation is generous under TCG.
limit=$((120 + ITER / 500))
sh tools/qemu.sh --kernel "$BUILD/kernel.elf" --module "$BUILD/user/sigma0.elf" \
	--module "$BUILD/user/fuzz.elf $ITER $SEED" --cpus "$CPUS" --test --icount --timeout "$limit" >"$LOG" 2>&1
status=$?
tr -d '\r' <"$LOG" | grep -E '^fuzz: ' | grep -v ' kernel failures$'
last=$(tr -d '\r' <"$LOG" | grep -E '^fuzz: [0-9]+ invocations, [0-9]+ kernel failures$' | tail -1)
ops=$(tr -d '\r' <"$LOG" | sed -n 's/^fuzz: \([0-9][0-9]*\) invocations.*/\1/p' | tail -1)
if tr -d '\r' <"$LOG" | grep -q '^PANIC'; then
	tr -d '\r' <"$LOG" | grep -A2 '^PANIC'
	op=$(tr -d '\r' <"$LOG" | sed -n 's/^panic: .*user handle \(0x[0-9a-f]*\).*/\1/p' | tail -1)
	echo "fuzz: kernel panic at operation ${op:-?} (seed $SEED; replay: make fuzz ITER=$ITER SEED=$SEED)"
	echo "fuzz: ${ops:-0} invocations, 1 kernel failures"
	exit 1
fi
if [ "$status" = 124 ] || [ -z "$last" ]; then
	echo "fuzz: the kernel stopped answering (QEMU status $status; seed $SEED; see $LOG)"
	echo "fuzz: ${ops:-0} invocations, 1 kernel failures"
	exit 1
fi
echo "$last"
case $last in *", 0 kernel failures") exit 0 ;; esac
exit 1
