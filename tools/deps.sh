#!/bin/sh
# Makes sure the Debian packages a target needs are installed:
#   tools/deps.sh run|iso|test|lint|fuzz-host|musl
# As root it installs what is missing; otherwise it prints the one
# apt-get line to run and fails. `musl` (part of `test` too) then fetches
# Debian 12's musl source package into $BUILD/deps/musl (BUILD: build by
# default) with apt-get source, once; user/posix/README.md says why.
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
need_musl() {
	need dpkg-dev command -v dpkg-source
}
need_test() {
	need_musl
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
musl) need_musl ;;
lint) need_lint ;;
fuzz-host) need_fuzz_host ;;
*) echo "deps.sh: run, iso, test, lint, fuzz-host or musl" >&2; exit 2 ;;
esac

if [ -n "$missing" ]; then
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
fi

# ---- the musl source package (issue 21, user/posix/README.md) ----
MUSL_VERSION=1.2.3-1
MUSL_DIR=${BUILD:-build}/deps/musl
MUSL_SRC=$MUSL_DIR/musl-1.2.3

# Debian serves the main suite's sources beside its packages; a machine
# with only deb entries gets a deb-src entry for that suite, written the
# way its own entries are (deb822 .sources or one-line .list).
enable_deb_src() {
	codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-bookworm}")
	if ls /etc/apt/sources.list.d/*.sources >/dev/null 2>&1; then
		list=/etc/apt/sources.list.d/mica-deb-src.sources
		printf '%s\n' "# Written by Mica's tools/deps.sh: Debian's sources, for apt-get source." \
			"Types: deb-src" "URIs: http://deb.debian.org/debian" "Suites: $codename" \
			"Components: main" "Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg" >"$list"
	else
		list=/etc/apt/sources.list.d/mica-deb-src.list
		echo "deb-src http://deb.debian.org/debian $codename main" >"$list"
	fi
	echo "deps: enabled Debian's source packages ($list)"
	apt-get update -qq >/dev/null
}

fetch_musl() {
	[ -f "$MUSL_SRC/.mica-fetched" ] && return 0
	if ! apt-cache showsrc musl 2>/dev/null | grep -qx "Version: $MUSL_VERSION"; then
		if [ "$(id -u)" != 0 ]; then
			echo "Mica builds musl $MUSL_VERSION from Debian's source package: add a deb-src"
			echo "entry for Debian's main suite (or run make test as root), then: sudo apt-get update"
			exit 1
		fi
		enable_deb_src
	fi
	rm -rf "$MUSL_DIR"
	mkdir -p "$MUSL_DIR"
	# As root apt warns that it downloads unsandboxed; the files are
	# still checked against the signed Sources index.
	(cd "$MUSL_DIR" && apt-get source -qq "musl=$MUSL_VERSION" 2>&1 | grep -v 'unsandboxed' >&2) || true
	[ -f "$MUSL_SRC/configure" ] || {
		echo "deps: apt-get source musl=$MUSL_VERSION failed" >&2
		exit 1
	}
	touch "$MUSL_SRC/.mica-fetched"
	echo "deps: musl $MUSL_VERSION source in $MUSL_SRC"
}

case $what in
test | musl) fetch_musl ;;
esac
exit 0
