#!/bin/sh
# Builds musl (the Debian source package tools/deps.sh fetched) out of
# tree as a static x86_64 libc with Mica's layer (user/posix/README.md):
#   tools/musl-build.sh BUILD_DIR
# Result: BUILD_DIR/musl/sysroot/{include,lib} (libc.a, crt1.o, ...);
# objects in BUILD_DIR/musl/obj, so a rebuild recompiles only what a
# changed overlay file touches. -j2: the machine's two cores.
set -eu
BUILD=${1:-build}
ROOT=$(pwd)
SRC=$ROOT/$BUILD/deps/musl/musl-1.2.3
OBJ=$ROOT/$BUILD/musl/obj
SYSROOT=$ROOT/$BUILD/musl/sysroot
OVERLAY=$ROOT/user/posix/musl
[ -f "$SRC/configure" ] || {
	echo "musl-build: no musl source in $SRC (run: sh tools/deps.sh musl)" >&2
	exit 1
}
mkdir -p "$OBJ"
cd "$OBJ"
if [ ! -f config.mak ] || [ "$OVERLAY/musl-build.mak" -nt config.mak ]; then
	# -iquote: the overlay's syscall_arch.h is found before the arch
	# directory's for every #include "syscall_arch.h".
	CC=${CC:-gcc} AR=ar RANLIB=ranlib CFLAGS="-O2 -g" CPPFLAGS="-iquote $OVERLAY" "$SRC/configure" --prefix="$SYSROOT" \
		--target=x86_64 --disable-shared >configure.log 2>&1 ||
		{ cat configure.log >&2; exit 1; }
	echo "MICA_OVERLAY = $OVERLAY" >>config.mak
	cat "$OVERLAY/musl-build.mak" >>config.mak
fi
make -j2 all >make.log 2>&1 || { tail -30 make.log >&2; exit 1; }
make install >>make.log 2>&1 || { tail -30 make.log >&2; exit 1; }
