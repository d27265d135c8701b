	.section .ksyms, "a"
	.balign 8
	.global ksym_count, ksym_addrs, ksym_names, ksym_strings
ksym_count:
	.quad 0
ksym_addrs:
ksym_names:
ksym_strings:
