#!/bin/sh
# Static analysis of kernel/, lib/ and user/: cppcheck, then clang-tidy
# (.clang-tidy) on every C file, two at a time. Prints the findings and
# ends with "lint: clean" or "lint: N findings"; exits non-zero if any.
#   tools/lint.sh BUILD_DIR
# A finding that is the point of the code (a test that faults on purpose)
# is suppressed where it happens, with the reason (NOLINT(check): why;
# cppcheck-suppress id).
set -u
BUILD=${1:-build}
COMMON="-D__x86_64__ -DMICA_DEBUG -DMICA_FASTPATH=1 -Iinclude -Ilib/include -Ilib/freestanding"
KFLAGS="$COMMON -Ikernel -Ikernel/arch/x86_64/include -I$BUILD/gen"
UFLAGS="$COMMON -Iuser/lib/include -Iuser/services -Iuser/x2/include -I$BUILD/gen"
# musl programs and the POSIX back end: musl's headers (build/musl, the
# Makefile's MUSL_TOP) instead of the freestanding ones.
PFLAGS="-D__x86_64__ -D_GNU_SOURCE -nostdinc -isystem build/musl/sysroot/include -Iinclude -Iuser/lib/include -I$BUILD/posix"
# The overlay's replacement objects that include musl's internal headers
# (user/posix/musl): the include paths of musl's own build.
MUSL_SRC=build/deps/musl/musl-1.2.3
MFLAGS="-D__x86_64__ -D_XOPEN_SOURCE=700 -nostdinc -iquote user/posix/musl -I$MUSL_SRC/arch/x86_64 \
	-I$MUSL_SRC/arch/generic -Ibuild/musl/obj/obj/src/internal -I$MUSL_SRC/src/include -I$MUSL_SRC/src/internal \
	-Ibuild/musl/obj/obj/include -I$MUSL_SRC/include -I$MUSL_SRC/src/thread"
OUT=$BUILD/lint

flags_for() { # the include paths of the program a file belongs to
	case $1 in
	user/posix/musl/pthread_mutex_unlock_fast.c) echo "$MFLAGS" ;;
	user/posix/* | user/tests/libc/* | user/tests/libc_suite/* | user/vmm/*) echo "$PFLAGS" ;;
	user/init/*) echo "$PFLAGS -Ibuild/deps/lua5.4/lua5.4-5.4.4/src -Iuser/apps/lua" ;;
	user/*) echo "$UFLAGS" ;;
	*) echo "$KFLAGS" ;;
	esac
}

if [ "${2:-}" = --tidy ]; then # one file, for xargs below
	# shellcheck disable=SC2046
	clang-tidy --quiet "$3" -- -std=c11 -ffreestanding $(flags_for "$3") 2>/dev/null |
		grep -E '^[^ ].*: (warning|error): ' >"$OUT/tidy-$(echo "$3" | tr / _).txt"
	exit 0
fi

rm -rf "$OUT"
mkdir -p "$OUT"
# cppcheck: the kernel (with lib) and the user programs, each as a whole.
# shellcheck disable=SC2086
cppcheck --quiet --enable=warning,performance,portability --inline-suppr --std=c11 --platform=unix64 \
	--template='{file}:{line}: {severity}: {message} [{id}]' $KFLAGS kernel lib 2>"$OUT/cppcheck-kernel.txt"
# shellcheck disable=SC2086
cppcheck --quiet --enable=warning,performance,portability --inline-suppr --std=c11 --platform=unix64 \
	--template='{file}:{line}: {severity}: {message} [{id}]' $UFLAGS user 2>"$OUT/cppcheck-user.txt"
find kernel lib user -name '*.c' | sort | xargs -P 2 -n 1 sh "$0" "$BUILD" --tidy

cat "$OUT"/cppcheck-*.txt "$OUT"/tidy-*.txt | sed "s|^$(pwd)/||" | sort -u >"$OUT/findings.txt"
n=$(wc -l <"$OUT/findings.txt")
cat "$OUT/findings.txt"
if [ "$n" = 0 ]; then
	echo "lint: clean (cppcheck, clang-tidy: $(find kernel lib user -name '*.c' | wc -l) files)"
else
	echo "lint: $n findings"
	exit 1
fi
