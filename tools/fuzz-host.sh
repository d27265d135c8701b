#!/bin/sh
# Runs each libFuzzer harness (tests/fuzz) for SECONDS seconds and prints
# one TAP line per harness; a crash or a broken FUZZ_ASSERT fails it and
# leaves the input as BUILD/fuzz/NAME-crash-*. Corpora persist in
# BUILD/fuzz/corpus/NAME between runs; they start from tests/fuzz/seeds.c's
# inputs, and the ELF harness's from the user programs, stripped.
#   tools/fuzz-host.sh BUILD_DIR SECONDS [SEED]
set -u
BUILD=${1:-build}
SECS=${2:-60}
SEED=${3:-0}
dir=$BUILD/fuzz
n=0 bad=0
for h in acpi bootinfo; do mkdir -p "$dir/corpus/fuzz_$h"; done
"$dir/seeds" "$dir/corpus" || exit 1
harnesses=$(find "$dir" -maxdepth 1 -name 'fuzz_*' ! -name '*.*' ! -name '*-crash-*' -type f | sort)
echo "1..$(echo "$harnesses" | wc -l)"
for h in $harnesses; do
	name=$(basename "$h")
	n=$((n + 1))
	corpus=$dir/corpus/$name
	mkdir -p "$corpus"
	if [ "$name" = fuzz_elf ]; then
		for e in "$BUILD"/user/*.elf; do
			[ -f "$e" ] && objcopy --strip-all "$e" "$corpus/seed-$(basename "$e")"
		done
	fi
	log=$dir/$name.log
	# -seed=0 lets libFuzzer pick one; the log says which.
	if "$h" -max_total_time="$SECS" -seed="$SEED" -max_len=32768 -timeout=10 -rss_limit_mb=1024 \
		-artifact_prefix="$dir/$name-" -print_final_stats=1 "$corpus" >"$log" 2>&1; then
		runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
		echo "ok $n - $name: ${runs:-?} inputs in ${SECS}s, no failure"
	else
		echo "not ok $n - $name: failed (see $log; the input is in $dir/$name-crash-*)"
		bad=1
	fi
done
exit $bad
