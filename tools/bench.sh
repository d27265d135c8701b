#!/bin/sh
# Boots the benchmark root task and writes build/bench/results.json.
#   tools/bench.sh BUILD_DIR ACCEL ITER [ONLY]
# ONLY (e.g. ipc_rt_*,null_syscall) runs only those benchmarks.
# ACCEL=tcg runs QEMU with -icount shift=0: every TSC tick is one guest
# instruction, so results are exact and repeatable instruction counts.
# ACCEL=kvm measures cycles (meaningful only on real hardware).
set -u
BUILD=$1 ACCEL=${2:-tcg} ITER=${3:-10000} ONLY=${4:-}
OUT=$BUILD/bench
mkdir -p "$OUT"
if [ "$ACCEL" = kvm ]; then mode=kvm icount=; else mode=icount icount=--icount; fi
args="$BUILD/user/bench.elf mode=$mode iter=$ITER${ONLY:+ only=$ONLY}"
# The kernel keeps 255 characters of a module's command line (arch/platform.h).
if [ ${#args} -gt 255 ]; then
	echo "bench: the command line '$args' is ${#args} characters; the kernel keeps 255 (name fewer benchmarks, or use NAME*)"
	exit 1
fi
# 512 MiB: the crowd (100 tasks, 1000 threads) needs a kernel pool of 32 MiB.
# TCG offers SVM with nested paging for vm_exit_rt (KVM: the host's CPU).
svm=
[ "$ACCEL" = tcg ] && svm="--cpu qemu64,+svm,+npt"
# boot CPUS ARGS LOG: one run of the benchmark root task.
boot() {
	sh tools/qemu.sh --accel "$ACCEL" $icount $svm --mem 512M --cpus "$1" --kernel "$BUILD/kernel.elf" \
		--module "$BUILD/user/sigma0.elf" --module "$2" \
		--module "$BUILD/user/exit0.elf" --module "$BUILD/user/libc_fsbench.elf" --module "$BUILD/user/libc_libcbench.elf" \
		--module "$BUILD/user/init.elf" --module user/bench/init_start_wait.lua --test --timeout 1200 >"$3" 2>&1
	status=$?
	tr -d '\r' <"$3" | grep '^bench: '
	if ! tr -d '\r' <"$3" | grep -q '^bench: done$'; then
		echo "bench: the run did not finish (QEMU status $status, see $3)"
		exit 1
	fi
}
# The single-CPU figures are measured with one CPU; the two across CPUs
# (ipc_rt_cross_cpu_0w, ipc_rt_inter_0w_4cpu) on a second boot with 4.
SMP_BENCH=ipc_rt_cross_cpu_0w,ipc_rt_inter_0w_4cpu
boot 1 "$args" "$OUT/console.log"
: >"$OUT/console-4cpu.log"
case "${ONLY:-all}" in
all | *cross_cpu* | *4cpu* | *'*'*)
	boot 4 "$BUILD/user/bench.elf mode=$mode iter=$ITER only=$SMP_BENCH" "$OUT/console-4cpu.log"
	;;
esac
qemu=$(qemu-system-x86_64 --version | head -1 | sed 's/.*version \([^ ]*\).*/\1/')
commit=$(git describe --always --dirty 2>/dev/null || echo unknown)
{
	printf '{"env": {"mode": "%s", "qemu": "%s", "cpus": 1, "cpus_smp_benchmarks": 4, "commit": "%s"}, "results": {' "$mode" "$qemu" "$commit"
	cat "$OUT/console.log" "$OUT/console-4cpu.log" | tr -d '\r' | grep -E '^bench: [a-z0-9_]+ median=' |
		sed -E 's/^bench: ([a-z0-9_]+) median=([0-9]+) min=([0-9]+) mean=([0-9]+) stddev=([0-9]+) p99=([0-9]+) n=([0-9]+) unit=([a-z]+)$/"\1": {"median": \2, "min": \3, "mean": \4, "stddev": \5, "p99": \6, "n": \7, "unit": "\8"}/' |
		paste -sd, - | sed 's/,/, /g; s/}, "/}, "/g'
	printf '}}\n'
} >"$OUT/results.json"
echo "bench: wrote $OUT/results.json"
