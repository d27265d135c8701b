#!/bin/sh
# make fuzz-services ITER=N SEED=S: boots the protocol fuzzer
# (user/tests/svcfuzz) under QEMU TCG with -icount (the same N and S
# replay the same run) and ends with "fuzz-services: N requests, M server
# failures". A kernel panic or a run that does not end counts as one
# failure. The boot modules after it (exit0, ldtest) are the ROM's
# programs the fuzzer starts through the loader.
#   tools/fuzz-services.sh BUILD_DIR ITER SEED
set -u
BUILD=${1:-build}
ITER=${2:-5000}
SEED=${3:-1}
LOG=$BUILD/test-logs/fuzz-services.log
mkdir -p "$(dirname "$LOG")"
limit=$((120 + ITER / 200))
sh tools/qemu.sh --kernel "$BUILD/kernel.elf" --module "$BUILD/user/sigma0.elf" \
	--module "$BUILD/user/svcfuzz.elf $ITER $SEED" --module "$BUILD/user/exit0.elf" \
	--module "$BUILD/user/ldtest.elf" --test --icount --timeout "$limit" >"$LOG" 2>&1
status=$?
tr -d '\r' <"$LOG" | grep -a -E '^fuzz-services: ' | grep -a -v ' server failures$'
last=$(tr -d '\r' <"$LOG" | grep -a -E '^fuzz-services: [0-9]+ requests, [0-9]+ server failures$' | tail -1)
if tr -d '\r' <"$LOG" | grep -a -q '^PANIC'; then
	tr -d '\r' <"$LOG" | grep -a -A2 '^PANIC'
	echo "fuzz-services: kernel panic (seed $SEED; replay: make fuzz-services ITER=$ITER SEED=$SEED)"
	echo "fuzz-services: 0 requests, 1 server failures"
	exit 1
fi
if [ -z "$last" ]; then
	echo "fuzz-services: the run did not end (QEMU status $status; seed $SEED; see $LOG)"
	echo "fuzz-services: 0 requests, 1 server failures"
	exit 1
fi
echo "$last"
case $last in *", 0 server failures") exit 0 ;; esac
exit 1
