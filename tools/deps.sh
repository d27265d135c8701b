#!/bin/sh
# Makes sure the Debian packages a target needs are installed:
#   tools/deps.sh run|iso|test|lint|fuzz-host
# As root it installs what is missing; otherwise it prints the one
# apt-get line to run and fails.
set -eu
what=${1:-test}
missing=

need() { # need PACKAGE TEST-COMMAND...
	pkg=$1
	shift
	if ! "$@" >/dev/null 2>&1; then
		case " $missing " in *" $pkg "*) ;; *) missing="$missing $pkg" ;; esac
	fi
}

need_run() { need qemu-system-x86 command -v qemu-system-x86_64; }
need_iso() {
	need grub-common command -v grub-mkrescue
	need grub-pc-bin test -d /usr/lib/grub/i386-pc
	need xorriso command -v xorriso
	need mtools command -v mformat
}
has_libfuzzer() { ls /usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a; }
need_lint() {
	need cppcheck command -v cppcheck
	need clang-tidy command -v clang-tidy
}
need_fuzz_host() {
	need clang command -v clang
	need libclang-rt-14-dev has_libfuzzer
}
need_test() {
	need_run
	need_iso
	need libcmocka-dev test -f /usr/include/cmocka.h
	need clang-format command -v clang-format
	need jq command -v jq
	need_lint
	need_fuzz_host
}

case $what in
run) need_run ;;
iso) need_iso ;;
test) need_test ;;
lint) need_lint ;;
fuzz-host) need_fuzz_host ;;
*) echo "deps.sh: run, iso, test, lint or fuzz-host" >&2; exit 2 ;;
esac

[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ]; then
	echo "deps: installing$missing"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq >/dev/null
	# shellcheck disable=SC2086
	apt-get install -y -qq --no-install-recommends $missing >/dev/null
else
	echo "Mica needs these Debian packages:$missing"
	echo "Install them with:"
	echo "  sudo apt-get install -y --no-install-recommends$missing"
	exit 1
fi
