#!/bin/sh
# Boots Mica in QEMU. Used by `make run`, `make gdb` and the tests.
#
#   tools/qemu.sh [--accel tcg|kvm] [--cpus N] [--mem SIZE] [--cpu MODEL]
#                 (--kernel ELF [--module "FILE ARGS"]... | --iso FILE)
#                 [--append CMDLINE] [--test] [--monitor] [--gdb] [--icount] [--timeout SECONDS]
#
# --test adds the debug-exit device and "test" to the kernel command line
# (the kernel then ends the run with a status, see
# kernel/arch/platform.h) and runs without a terminal; --timeout
# kills QEMU after that many seconds (exit status 124). --monitor gives a
# test run the monitor on stdin too, as `make run` has it (Ctrl-A c
# switches between the serial line and the monitor).
set -eu

accel=tcg cpus=1 mem=256M cpu= kernel= iso= append= test=0 gdb=0 timeout=0 modules= monitor=0
while [ $# -gt 0 ]; do
	case $1 in
	--accel) accel=$2; shift 2 ;;
	--cpus) cpus=$2; shift 2 ;;
	--mem) mem=$2; shift 2 ;;
	--cpu) cpu=$2; shift 2 ;;
	--kernel) kernel=$2; shift 2 ;;
	--iso) iso=$2; shift 2 ;;
	--module) modules="${modules:+$modules,}$(printf '%s' "$2" | sed 's/,/,,/g')"; shift 2 ;;
	--append) append=$2; shift 2 ;;
	--test) test=1; shift ;;
	--monitor) monitor=1; shift ;;
	--gdb) gdb=1; shift ;;
	--icount) icount=1; shift ;;
	--timeout) timeout=$2; shift 2 ;;
	*) echo "qemu.sh: unknown option $1" >&2; exit 2 ;;
	esac
done

set -- qemu-system-x86_64 -machine pc -m "$mem" -smp "$cpus" -no-reboot -display none -vga none

case $accel in
tcg)
	set -- "$@" -accel tcg
	# Deterministic: one guest instruction per virtual clock tick, so rdtsc
	# deltas count instructions (benchmarks), and timers fire at the same
	# instruction every run; an idle guest jumps to its next timer
	# (sleep=off) instead of waiting in real time (the test suite).
	[ "${icount:-0}" = 1 ] && set -- "$@" -icount shift=0,sleep=off
	[ -n "$cpu" ] && set -- "$@" -cpu "$cpu"
	;;
kvm)
	if [ ! -w /dev/kvm ]; then
		echo "qemu.sh: ACCEL=kvm needs a writable /dev/kvm" >&2
		exit 1
	fi
	# Some hosts reject `-cpu host` over arch-capabilities: start it paused
	# for a moment and fall back if QEMU complains or dies.
	model=${cpu:-host}
	if [ -z "$cpu" ]; then
		probe=$(timeout 3 qemu-system-x86_64 -accel kvm -cpu host -machine pc -display none \
			-nodefaults -serial none -monitor none -S </dev/null 2>&1) && rc=0 || rc=$?
		if [ "$rc" != 124 ] || printf '%s' "$probe" | grep -qi 'arch-capabilities'; then
			model=host,-arch-capabilities
		fi
	fi
	set -- "$@" -accel kvm -cpu "$model"
	;;
*) echo "qemu.sh: ACCEL must be tcg or kvm" >&2; exit 2 ;;
esac

if [ -n "$iso" ]; then
	set -- "$@" -cdrom "$iso" -boot d
else
	# Test mode is also the kernel's: it ends the run with a status.
	[ "$test" = 1 ] && append="test${append:+ $append}"
	set -- "$@" -kernel "$kernel"
	[ -n "$modules" ] && set -- "$@" -initrd "$modules"
	[ -n "$append" ] && set -- "$@" -append "$append"
fi

if [ "$test" = 1 ]; then
	if [ "$monitor" = 1 ]; then
		set -- "$@" -serial mon:stdio
	else
		set -- "$@" -serial stdio -monitor none
	fi
	set -- "$@" -device isa-debug-exit,iobase=0xf4,iosize=0x04
else
	set -- "$@" -serial mon:stdio
fi
[ "$gdb" = 1 ] && set -- "$@" -s -S

if [ "$test" = 0 ]; then
	echo "Mica in QEMU ($accel). Quit: press Ctrl-A, then X.  QEMU monitor: Ctrl-A, then C."
fi
if [ "$timeout" != 0 ]; then
	exec timeout --foreground -k 5 "$timeout" "$@"
fi
exec "$@"
