#!/bin/sh
# Makes sure the Debian packages a target needs are installed:
#   tools/deps.sh run|iso|test|lint|fuzz-host|musl|apps|prove|model
# As root it installs what is missing; otherwise it prints the one
# apt-get line to run and fails. `musl` (part of `test` too) then fetches
# Debian 12's musl source package into $BUILD/deps/musl (BUILD: build by
# default) with apt-get source, once; user/posix/README.md says why.
# `apps` (part of `test` too) fetches the third-party programs' source
# packages the same way: lua5.4 and zlib (docs/apps.md).
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
# The proofs (make prove, docs/assurance.md): Frama-C's WP with Why3 and
# the SMT solvers Debian 12 packages (it has no Alt-Ergo); the model
# (make model): SPIN, which compiles its verifier with gcc.
need_prove() {
	need frama-c-base command -v frama-c
	need why3 command -v why3
	need z3 command -v z3
	need cvc4 command -v cvc4
	need cvc5 command -v cvc5
}
need_model() {
	need spin command -v spin
	need gcc command -v gcc
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
	need_prove
	need_model
}

case $what in
run) need_run ;;
iso) need_iso ;;
test) need_test ;;
musl | apps) need_musl ;;
lint) need_lint ;;
fuzz-host) need_fuzz_host ;;
prove) need_prove ;;
model) need_model ;;
*) echo "deps.sh: run, iso, test, lint, fuzz-host, musl, apps, prove or model" >&2; exit 2 ;;
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

# ---- Debian source packages: musl (user/posix/README.md), Lua and zlib ----
# Each pinned to Debian 12's main suite version and unpacked (with
# Debian's own patches, as dpkg-source applies them) under
# $BUILD/deps/NAME, once; never committed, never changed by Mica.
DEPS=${BUILD:-build}/deps

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

# fetch_src PACKAGE VERSION DIR TREE FILE: apt-get source PACKAGE=VERSION
# in $DEPS/DIR unless done; it unpacks into $DEPS/DIR/TREE, and FILE
# there proves it did.
fetch_src() {
	tree=$DEPS/$3/$4
	[ -f "$tree/.mica-fetched" ] && return 0
	if ! apt-cache showsrc "$1" 2>/dev/null | grep -qx "Version: $2"; then
		if [ "$(id -u)" != 0 ]; then
			echo "Mica builds $1 $2 from Debian's source package: add a deb-src"
			echo "entry for Debian's main suite (or run make test as root), then: sudo apt-get update"
			exit 1
		fi
		enable_deb_src
	fi
	rm -rf "${DEPS:?}/$3"
	mkdir -p "$DEPS/$3"
	# As root apt warns that it downloads unsandboxed; the files are
	# still checked against the signed Sources index.
	(cd "$DEPS/$3" && apt-get source -qq "$1=$2" 2>&1 | grep -v 'unsandboxed' >&2) || true
	[ -f "$tree/$5" ] || {
		echo "deps: apt-get source $1=$2 failed" >&2
		exit 1
	}
	touch "$tree/.mica-fetched"
	echo "deps: $1 $2 source in $tree"
}

case $what in
test | musl) fetch_src musl 1.2.3-1 musl musl-1.2.3 configure ;;
esac
case $what in
test | apps)
	fetch_src lua5.4 5.4.4-3+deb12u1 lua5.4 lua5.4-5.4.4 src/lua.c
	fetch_src zlib 1:1.2.13.dfsg-1 zlib zlib-1.2.13.dfsg test/minigzip.c
	;;
esac
exit 0
