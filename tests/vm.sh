#!/bin/sh
# make test-vm: boots Mica with the monitor and Debian's Linux guest
# (conf/vm.lua, docs/vmm.md) under QEMU TCG and checks, as TAP lines,
# that the guest's kernel reached /init, that /init's commands printed
# what they should, that the guest powered off cleanly (the monitor's
# own message and exit status 0) and that the whole run ended within
# VM_TIMEOUT seconds (default 300). Prints the guest's boot time.
#   tests/vm.sh BUILD_DIR
set -u
BUILD=${1:-build}
TIMEOUT=${VM_TIMEOUT:-300}
LOG=$BUILD/test-logs/vm.log
mkdir -p "$(dirname "$LOG")"
start=$(date +%s)
sh tools/qemu.sh --kernel "$BUILD/kernel.elf" --module "$BUILD/user/sigma0.elf" --module "$BUILD/user/root.elf" \
	--module "$BUILD/user/init.elf rom/vm.lua" --module conf/vm.lua --module "$BUILD/user/vmm.elf" \
	--module "$BUILD/vm/bzImage" --module "$BUILD/vm/initrd" --cpus "${VM_CPUS:-1}" --mem 512M --cpu qemu64,+svm,+npt \
	--test --timeout "$TIMEOUT" >"$LOG" 2>&1
status=$?
end=$(date +%s)
n=0 bad=0
check() { # check NAME PATTERN (a fixed line fragment of the log)
	n=$((n + 1))
	if tr -d '\r' <"$LOG" | grep -qF -- "$2"; then
		echo "ok $n - $1"
	else
		echo "not ok $n - $1: no \"$2\" (see $LOG)"
		bad=1
	fi
}
check vm_monitor_loads_the_kernel "vmm: Linux boot protocol"
check vm_guest_kernel_banner "Linux version 6.1"
check vm_guest_console_on_the_uart "serial8250: ttyS0 at I/O 0x3f8 (irq = 4"
check vm_guest_runs_init "MICA-GUEST: init running"
check vm_guest_uname "Linux (none) 6.1"
check vm_guest_cpuinfo "vendor_id"
check vm_guest_finishes_init "MICA-GUEST: done, powering off"
check vm_guest_halts "reboot: System halted"
check vm_monitor_sees_power_off "vmm: the guest halted with interrupts off: powered off"
check vm_monitor_exits_cleanly "vmm exited: 0"
n=$((n + 1))
if tr -d '\r' <"$LOG" | grep -qE 'Kernel panic|^PANIC|unhandled exit|guest stopped'; then
	echo "not ok $n - vm_no_panic_no_unhandled_exit (see $LOG)"
	bad=1
else
	echo "ok $n - vm_no_panic_no_unhandled_exit"
fi
n=$((n + 1))
if [ "$status" = 37 ]; then
	echo "ok $n - vm_run_ends_in_time"
else
	echo "not ok $n - vm_run_ends_in_time: QEMU status $status (124: the ${TIMEOUT} s limit) (see $LOG)"
	bad=1
fi
tr -d '\r' <"$LOG" | sed -n 's/^vmm: guest ran /vm: guest ran /p'
echo "vm: the whole run took $((end - start)) s of wall-clock time"
echo "1..$n"
exit $bad
