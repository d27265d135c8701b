#!/bin/sh
# Checks that architecture and platform code stay behind their hooks
# (kernel/arch/*.h): a second architecture or platform must need a new
# directory, not edits across the core.
#   - Core (every kernel/ folder but arch/ and platform/) includes only the
#     hook headers kernel/arch/*.h: no <machine/...>, no "arch/<arch>/...",
#     no "platform/...".
#   - The hook headers include no architecture's or platform's private
#     header ("arch/<arch>/...", "platform/..."); <machine/X.h> they may.
#   - Architecture and platform code (kernel/arch/<arch>/,
#     kernel/platform/<platform>/) includes no core subsystem's header
#     (objects/, ipc/, memory/, boot/); only memory/memmap.h, the plain
#     memory-map type the platform fills, is allowed.
# Prints each offending "file: #include ..." line; exits 1 if there is one.
#   tools/check-layout.sh [KERNEL_DIR]
set -u
kernel=${1:-kernel}
bad=$(mktemp)
trap 'rm -f "$bad"' EXIT

# includes PATTERN FILE...: the matching #include lines as "file: line".
includes() {
	pattern=$1
	shift
	[ $# -gt 0 ] || return 0
	grep -HE "^[[:space:]]*#[[:space:]]*include[[:space:]]*[<\"]($pattern)" "$@" |
		sed 's/:[[:space:]]*#[[:space:]]*include[[:space:]]*/: #include /'
}

sources() { # sources DIR...: the C and assembly sources and headers under them
	find "$@" -type f \( -name '*.c' -o -name '*.h' -o -name '*.S' \) | sort
}

core_dirs=
for d in "$kernel"/*/; do
	case ${d%/} in "$kernel"/arch | "$kernel"/platform) ;; *) core_dirs="$core_dirs ${d%/}" ;; esac
done
# The private headers: machine/ (through the include path), a folder under
# arch/ (an architecture's own), anything under platform/.
private='machine/|arch/[^/"]+/|platform/'

# Word splitting of the file lists is intended (no spaces in kernel paths).
# shellcheck disable=SC2046,SC2086
{
	includes "$private" $(sources $core_dirs)
	includes 'arch/[^/"]+/|platform/' "$kernel"/arch/*.h
	includes 'objects/|ipc/|memory/|boot/' $(sources "$kernel"/arch/*/ "$kernel"/platform/*/) |
		grep -v ': #include "memory/memmap.h"'
} >"$bad"

if [ -s "$bad" ]; then
	cat "$bad"
	echo "check-layout: $(wc -l <"$bad") include(s) cross the architecture/platform boundary"
	exit 1
fi
echo "check-layout: core, hooks, architecture and platform code keep to their includes"
