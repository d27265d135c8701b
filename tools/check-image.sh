#!/bin/sh
# Checks a linked kernel image: (1) adding the symbol table moved no
# function (pass-1 and final text symbols agree); (2) every loadable
# segment sits in the file at the same distance from its physical address,
# which the Multiboot 1 a.out kludge relies on; (3) the Multiboot headers
# are where loaders look for them.
set -eu
pass1=$1 final=$2
t1=$(mktemp) t2=$(mktemp)
trap 'rm -f "$t1" "$t2"' EXIT
nm -n "$pass1" | awk '$2 ~ /^[tT]$/' > "$t1"
nm -n "$final" | awk '$2 ~ /^[tT]$/' > "$t2"
if ! cmp -s "$t1" "$t2"; then
	echo "check-image: text symbols moved between link passes" >&2
	diff "$t1" "$t2" | head >&2
	exit 1
fi
readelf -lW "$final" | awk '
function hex(s,   i, v) { v = 0; s = tolower(s); sub(/^0x/, "", s)
	for (i = 1; i <= length(s); i++) v = v * 16 + index("0123456789abcdef", substr(s, i, 1)) - 1
	return v }
$1 == "LOAD" {
	d = hex($2) - hex($4)
	if (seen && d != delta) { print "check-image: segment at paddr " $4 " breaks the file/physical layout"; bad = 1 }
	delta = d; seen = 1
}
END { if (!seen) { print "check-image: no loadable segments"; bad = 1 } exit bad }' >&2
off=$(readelf -SW "$final" | sed -n 's/.* \.boot  *PROGBITS  *[0-9a-f]*  *\([0-9a-f]*\) .*/\1/p')
off=$(printf '%d' "0x${off:-ffffff}")
if [ -z "$off" ] || [ "$off" -ge 8192 ]; then
	echo "check-image: .boot (Multiboot headers) must start within the first 8 KiB of the file" >&2
	exit 1
fi
