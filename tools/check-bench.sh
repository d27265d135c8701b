#!/bin/sh
# Checks that a benchmark run's results.json is well-formed and complete
# (every benchmark of docs/benchmarks.md with every field); says nothing
# about the numbers. Prints TAP lines.
#   tools/check-bench.sh RESULTS_JSON
set -u
json=$1
names="null_syscall ipc_rt_inter_0w ipc_rt_inter_8w ipc_rt_inter_63w ipc_rt_intra_0w ipc_rt_inter_0w_crowded
pf_rt exc_rt map_1 unmap_1 map_512 unmap_512 yield_same_prio virq_latency task_create_destroy prog_start_exit init_start_wait pf_rm_anon rm_attach_detach fs_read_64k
x2_ipc_call_0w libc_mutex_uncontended libc_mutex_handoff libc_write_log libc_malloc_free_64
ipc_rt_cross_cpu_0w ipc_rt_inter_0w_4cpu vcpu_upcall_rt vm_exit_rt
scale_ipc_tasks_0 scale_ipc_tasks_10 scale_ipc_tasks_100
scale_destroy_pages_0 scale_destroy_pages_1 scale_destroy_pages_16 scale_destroy_pages_256 scale_destroy_spread_16
scale_destroy_caps_16 scale_destroy_caps_256 scale_unmap_8 scale_unmap_64
scale_lookup_sel_512 scale_lookup_sel_32768 scale_lookup_sel_1048576 scale_lookup_sel_16777215"
n=0 failed=0
check() { # check NAME JQ-EXPRESSION
	n=$((n + 1))
	if [ -f "$json" ] && jq -e "$2" "$json" >/dev/null 2>&1; then
		echo "ok $n - bench/$1"
	else
		failed=$((failed + 1))
		echo "not ok $n - bench/$1 # $json: jq -e '$2' fails"
	fi
}
check env '(.env.mode == "icount" or .env.mode == "kvm") and (.env.qemu | type == "string")
	and (.env.cpus | type == "number") and (.env.commit | type == "string")'
for b in $names; do
	check "$b" ".results.$b | all(.median, .min, .mean, .stddev, .p99, .n; type == \"number\")
		and (.unit == \"instructions\" or .unit == \"cycles\") and .n > 0 and .min <= .median and .median <= .p99"
done
[ "$failed" = 0 ]
