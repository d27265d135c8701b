#!/bin/sh
# Runs the QEMU test cases (tests/qemu/cases.sh) and prints TAP lines.
#   tests/qemu/run.sh BUILD_DIR [FILTER]
# FILTER (a substring) selects cases by name. Exits non-zero on a failure.
set -u
BUILD=${1:-build}
FILTER=${2:-}
LOGS=$BUILD/test-logs/qemu
TIMEOUT=${QEMU_TEST_TIMEOUT:-60}
mkdir -p "$LOGS"
here=$(dirname "$0")
n=0 failed=0

status_code() {
	case $1 in
	pass) echo 33 ;;
	idle) echo 37 ;;
	panic) echo 59 ;;
	reboot) echo 0 ;; # QEMU runs with -no-reboot: a reset ends it
	esac
}

# Writes FEED's steps to stdout (QEMU's serial line, and its monitor
# with --monitor), one per line: "wait REGEX" (until a line of the log
# matches), "send TEXT" (printf escapes: \r, \001 for Ctrl-A).
feed() {
	printf '%s\n' "$1" | while IFS= read -r step; do
		case $step in
		"wait "*)
			tries=0
			until tr -d '\r' <"$2" 2>/dev/null | grep -q -E -- "${step#wait }"; do
				tries=$((tries + 1))
				[ $tries -gt $((TIMEOUT * 5)) ] && exit 0
				sleep 0.2
			done
			;;
		"send "*)
			# shellcheck disable=SC2059 # the step is the format
			printf "${step#send }"
			;;
		esac
	done
}

qcase() {
	name=$1 want=$2 args=$3
	shift 3
	case $name in *"$FILTER"*) ;; *) return 0 ;; esac
	n=$((n + 1))
	log=$LOGS/$name.log
	eval "set -- $args -- \"\$@\""
	qargs=
	while [ "$1" != -- ]; do
		qargs="$qargs '$(printf '%s' "$1" | sed "s/'/'\\\\''/g")'"
		shift
	done
	shift
	: >"$log"
	# CASE_TIMEOUT (set around a case in cases.sh) for the cases that run
	# the whole in-system suite, which outgrows the default on a busy machine.
	t=${CASE_TIMEOUT:-$TIMEOUT}
	if [ -n "${FEED:-}" ]; then
		feed "$FEED" "$log" | eval "sh tools/qemu.sh --test --timeout $t $qargs" >"$log" 2>&1
	else
		eval "sh tools/qemu.sh --test --timeout $t $qargs" </dev/null >"$log" 2>&1
	fi
	got=$?
	why=
	if [ "$got" = 124 ] || [ "$got" = 137 ]; then
		why="timed out after ${t}s"
	elif [ "$got" != "$(status_code "$want")" ]; then
		why="exit status $got, expected $(status_code "$want") ($want)"
	elif [ "$want" != panic ] && grep -q '^PANIC' "$log"; then
		why="kernel panic"
	else
		line=0
		for pat in "$@"; do
			at=$(tail -n +$((line + 1)) "$log" | tr -d '\r' | grep -n -E -m1 -- "$pat" | cut -d: -f1)
			if [ -z "$at" ]; then
				why="no line matching /$pat/ (in order)"
				break
			fi
			line=$((line + at))
		done
	fi
	if [ -z "$why" ]; then
		echo "ok $n - qemu/$name"
	else
		failed=$((failed + 1))
		echo "not ok $n - qemu/$name # $why; log: $log"
	fi
}

. "$here/cases.sh"
echo "1..$n"
[ "$failed" = 0 ]
