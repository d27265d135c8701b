#!/bin/sh
# Reads `nm -n kernel.elf` on stdin and writes the kernel's symbol table
# for backtraces as assembly: sorted function addresses, then offsets of
# their names in one string block. Only text symbols are kept.
awk 'BEGIN { n = 0 }
NF == 3 && $2 ~ /^[tT]$/ && $3 !~ /^\./ { addr[n] = $1; name[n] = $3; n++ }
END {
	print "\t.section .ksyms, \"a\""
	print "\t.balign 8"
	print "\t.global ksym_count, ksym_addrs, ksym_names, ksym_strings"
	print "ksym_count:\n\t.quad " n
	print "ksym_addrs:"
	for (i = 0; i < n; i++) print "\t.quad 0x" addr[i]
	print "ksym_names:"
	off = 0
	for (i = 0; i < n; i++) { print "\t.long " off; off += length(name[i]) + 1 }
	print "ksym_strings:"
	for (i = 0; i < n; i++) print "\t.asciz \"" name[i] "\""
}'
