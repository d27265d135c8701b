#!/bin/sh
# The QEMU tests: each boots Mica under TCG with a time limit, keeps the
# serial log in $LOGS/NAME.log, and checks the exit status the kernel
# reported through the debug-exit device and the lines it printed.
#
#   qcase NAME STATUS "QEMU ARGS" PATTERN...
#
# STATUS is idle (37: ran until nothing was left), panic (59), pass (33) or
# reboot (0: the machine was reset, which ends QEMU).
# Every PATTERN (an extended regular expression) must match a line, in the
# order given. A kernel PANIC fails every case that does not expect one.

K0="--kernel $BUILD/kernel.elf"
K="$K0 --module $BUILD/user/sigma0.elf"
HELLO="$BUILD/user/hello.elf"
FAULT="$BUILD/user/fault.elf"

boot_ok='^Mica microkernel \(mica '
kip_ok='^KIP: magic L4µK, API 0\.1'
# A line a program started by the root task printed, through its log:
# "NAME | TEXT", the name maybe coloured (and the line maybe after the
# QEMU monitor's prompt, where input was typed). tagged NAME TEXT-PATTERN.
tagged() { printf '^([(]qemu[)] )?(\033\\[3[0-9]m)?%s(\033\\[0m)? [|] %s' "$1" "$2"; }
hello_ok='^KIP at 0x7ffffff00000: API 0\.1'
# (a program's page faults to sigma0 take the fault fast paths: any count)
ends='^mica: no runnable threads; test run ends \([0-9]+ IPCs took the fast path\)$'
ends_any='^mica: no runnable threads; test run ends'

qcase boot_reaches_user_mode idle "$K --module $HELLO" \
	"$boot_ok" '^boot: Multiboot 1' '^vm: direct map of 4096 MiB with 2 MiB pages' "$kip_ok" "^mica: starting 'hello'" '^Mica user mode, running in ring 3$' \
	"$hello_ok" "$ends"
qcase boot_timer_interrupt idle "$K --module $HELLO" '^apic: xAPIC' '^apic: timer interrupt delivered$'
qcase boot_cpu_max idle "$K --module $HELLO --cpu max" '^cpu: features: nx 1g-pages xsave smep smap' '1 GiB pages' "$hello_ok" "$ends"
# Multiprocessor bring-up: every CPU the MADT lists comes online (its own
# line), threads still run on CPU 0 alone; a CPU that does not answer is
# reported and left out.
cpu1='^cpu 1 online: APIC id 1$'
cpu2='^cpu 2 online: APIC id 2$'
cpu3='^cpu 3 online: APIC id 3$'
qcase boot_1_cpu idle "$K --module $HELLO --cpus 1" '^smp: 1 CPU\(s\) found, 1 online$' \
	'^KIP: 1 CPU\(s\), 1 online' '^KIP at .* 1 CPU\(s\)' "$ends"
qcase boot_2_cpus idle "$K --module $HELLO --cpus 2" "$cpu1" '^smp: 2 CPU\(s\) found, 2 online$' '^KIP: 2 CPU\(s\), 2 online' \
	'^KIP at .* 2 CPU\(s\)' "$ends"
qcase boot_4_cpus idle "$K --module $HELLO --cpus 4" '^acpi: revision [0-9]+, 4 CPU' '^apic: xAPIC, id 0' \
	"$cpu1" "$cpu2" "$cpu3" '^smp: 4 CPU\(s\) found, 4 online$' '^KIP: 4 CPU\(s\), 4 online' '^KIP at .* 4 CPU\(s\)' "$ends"
qcase boot_4_cpus_cpu_max idle "$K --module $HELLO --cpus 4 --cpu max" "$cpu1" "$cpu2" "$cpu3" '^smp: 4 CPU\(s\) found, 4 online$' "$hello_ok" "$ends"
# QEMU's default model has no x2APIC; this one says so explicitly, and the
# x2APIC path (which TCG cannot offer) needs ACCEL=kvm: see the README.
qcase boot_4_cpus_without_x2apic idle "$K --module $HELLO --cpus 4 --cpu qemu64,-x2apic" '^apic: xAPIC, id 0' \
	"$cpu1" "$cpu2" "$cpu3" '^smp: 4 CPU\(s\) found, 4 online$' "$hello_ok" "$ends"
qcase boot_cpu_that_does_not_start idle "$K --module $HELLO --cpus 3 --append smp_nostart=1" \
	'^cpu 1 did not start: no answer to INIT-SIPI-SIPI within 200 ms \(APIC id 1\)$' '^cpu 1 online: APIC id 2$' \
	'^smp: 3 CPU\(s\) found, 2 online$' '^KIP: 3 CPU\(s\), 2 online' "$hello_ok" "$ends"
# Hot-plug slots without a CPU (QEMU lists them as disabled) are not CPUs.
qcase boot_hotplug_slots_are_not_cpus idle "$K --module $HELLO --cpus 2,maxcpus=4" "$cpu1" \
	'^smp: 2 CPU\(s\) found, 2 online$' "$hello_ok" "$ends"
qcase boot_64m idle "$K --module $HELLO --mem 64M" '^kmem: 4096 KiB kernel memory' "$hello_ok" "$ends"
qcase boot_2g idle "$K --module $HELLO --mem 2G" '^KIP at .* (19[0-9][0-9]) MiB free memory' "$ends"
qcase boot_iso_multiboot2 idle "--iso $BUILD/mica-test.iso" '^boot: Multiboot 2, command line "test"' \
	"$kip_ok" "$(tagged hello 'Mica user mode')" "$(tagged hello 'KIP at 0x7ffffff00000: API 0\.1')" \
	"$(tagged pingpong '100 round trips')" '^root: all programs have ended$' "$ends_any"
qcase boot_without_modules idle "$K0" '^KIP: 0 boot module' '^mica: no boot modules: nothing to start$' "$ends"
qcase boot_rejects_bad_module idle "$K --module $BUILD/ksyms.o" \
	"^mica: boot module '.*ksyms.o' \(root task\) is not a valid program: not an executable$" "$ends"
qcase boot_sigma0_only idle "$K" "^mica: starting 'sigma0'" '^mica: no root task module: only sigma0 runs$' \
	'^sigma0: no root task image to page$' "$ends"

# The root task loads the modules after it as programs, pages them and
# reports how they ended.
ROOT="$K --module $BUILD/user/root.elf"
# Under -icount hello ends before pingpong's 300 round trips, whatever the
# host is doing (the lines are matched in order).
qcase root_runs_demos idle "$ROOT --icount --module '$HELLO one two' --module '$BUILD/user/pingpong.elf 300'" \
	"^mica: starting 'root'" "^root: started 'hello'" "^root: started 'pingpong'" "$(tagged hello 'argument 1: one$')" \
	"$(tagged hello 'argument 2: two$')" "^root: 'hello' exited with status 0$" "$(tagged pingpong '300 round trips, counter 300$')" \
	"^root: 'pingpong' exited with status 0$" '^root: all programs have ended$' "$ends_any"
# Nothing runs unscheduled: a program given no scheduler (+sched=none)
# cannot start a second thread (placing it fails first: error 1, an
# invalid capability; START alone would be 17, MICA_E_NOT_SCHEDULED).
qcase root_program_without_scheduler_runs_one_thread idle "$ROOT --module '$BUILD/user/pingpong.elf 3 +sched=none'" \
	"$(tagged pingpong 'cannot set up the second thread: error 1$')" "^root: 'pingpong' exited with status 2$" \
	'^root: all programs have ended$' "$ends_any"
# A C program on musl (user/posix, docs/apps.md) started by the root task
# like any boot module: its stdio lines in its log, its status.
qcase root_runs_musl_program idle "$ROOT --module '$BUILD/user/libc_hello.elf x'" \
	"^root: started 'libc_hello'" "$(tagged libc_hello 'libc_hello: argc 2, argv\[0\] libc_hello$')" \
	"$(tagged libc_hello 'stdio: hello from musl 42 2.500 0xbeef$')" "$(tagged libc_hello 'libc_hello: 0 failed$')" \
	"^root: 'libc_hello' exited with status 7$" '^root: all programs have ended$' "$ends_any"
qcase root_rejects_bad_program idle "$ROOT --module $BUILD/ksyms.o --module $HELLO" \
	"^root: 'ksyms.o' is not a valid program: not an executable$" "^root: 'hello' exited with status 0$" "$ends_any"
# Under -icount the two programs fault in one order, whatever the host is doing.
qcase root_reports_exception idle "$ROOT --icount --module '$FAULT null' --module '$FAULT ud'" \
	"^root: 'fault' was stopped by exception 6 at ip 0x4[0-9a-f]+" \
	"^root: 'fault' was stopped by exception 14 at ip 0x4[0-9a-f]+ \(address 0x0\)$" '^root: all programs have ended$' "$ends_any"

# A faulting program is reported in one line and the kernel carries on.
qcase user_fault_null idle "$K --module '$FAULT null'" \
	"^mica: task 'fault' thread 2 stopped: #PF page fault at ip 0x4[0-9a-f]+ \(addr 0x0: read, not present\): no exception handler$" "$ends"
qcase user_fault_ud idle "$K --module '$FAULT ud'" \
	"^mica: task 'fault' thread 2 stopped: #UD invalid opcode at ip 0x4[0-9a-f]+: no exception handler$" "$ends"
qcase user_fault_gp idle "$K --module '$FAULT gp'" \
	"^mica: task 'fault' thread 2 stopped: #GP general protection at ip 0x4[0-9a-f]+: no exception handler$" "$ends"
qcase user_fault_div idle "$K --module '$FAULT div'" \
	"^mica: task 'fault' thread 2 stopped: #DE divide error at ip 0x4[0-9a-f]+: no exception handler$" "$ends"
qcase user_fault_kernel_memory idle "$K --module '$FAULT kernel'" \
	"^mica: task 'fault' thread 2 stopped: #PF page fault at ip 0x4[0-9a-f]+ \(addr 0xffffffff80100000: write" "$ends"
qcase user_bad_invocations idle "$K --module '$FAULT badcap'" \
	'^fault: invalid selector 0: error 1 \(want 1\): ok$' '^fault: bad invocations all rejected correctly$' "$ends"
# In sigma0's place, the fault program (its mode from the root module's
# command line; the root, never paged, just waits) maps physical memory.
qcase sigma0_maps_no_kernel_memory idle "$K0 --module $FAULT --module '$FAULT s0map'" \
	'^fault: RAM, new page table: error 0 \(want 0\): ok$' \
	'^fault: RAM again, page table in place: error 0 \(want 0\): ok$' '^fault: the two aliases agree: error 0' \
	'^fault: kernel memory, page table in place: error 5 \(want 5\): ok$' \
	'^fault: kernel memory, new page table: error 5 \(want 5\): ok$' "^fault: sigma0's maps all as expected$" \
	"$ends_any"

# The kernel's own failure paths: message, backtrace with names, halt.
qcase kernel_panic panic "$K --module $HELLO --append selftest=panic" \
	'^PANIC: selftest: deliberate panic$' '^backtrace:$' ' selftest_panic\+0x' ' kmain\+0x' '^mica: kernel halted$'
# With other CPUs online, the panicking CPU stops them (an NMI) and alone
# prints the report.
qcase kernel_panic_4_cpus panic "$K --module $HELLO --cpus 4 --append selftest=panic" "$cpu3" \
	'^PANIC: selftest: deliberate panic$' '^backtrace:$' ' selftest_panic\+0x' ' kmain\+0x' '^mica: kernel halted$'
qcase kernel_assert panic "$K --module $HELLO --append selftest=assert" \
	'^PANIC: assertion failed: one != 1 \(kernel/debug/selftest\.c:[0-9]+\)$' ' selftest_assert\+0x' '^mica: kernel halted$'
qcase kernel_page_fault panic "$K --module $HELLO --append selftest=fault" \
	'^PANIC: kernel exception: #PF page fault at ip 0xffffffff8[0-9a-f]+ \(addr 0xffffffff8[0-9a-f]+: write, protection violation\)$' \
	'^  rip ffffffff8[0-9a-f]+ <selftest_fault\+0x' '^  cr0 ' ' kmain\+0x' '^mica: kernel halted$'
# The invariant checker (debug builds) passes after boot and catches each
# deliberate corruption with a precise message.
inv_ok='^selftest: invariants hold after boot: [0-9]+ objects, [0-9]+ checks$'
qcase invariants_ncaps panic "$K --module $HELLO --append selftest=inv_ncaps" "$inv_ok" \
	'^PANIC: invariant violated: object 0x[0-9a-f]+ \(type 1\) counts [0-9]+ capabilities, its list has [0-9]+$'
qcase invariants_leak panic "$K --module $HELLO --append selftest=inv_leak" "$inv_ok" \
	'^PANIC: invariant violated: frame 0x[0-9a-f]+ is charged to factory 0x[0-9a-f]+ but used by nothing$'
qcase invariants_ready panic "$K --module $HELLO --append selftest=inv_ready" "$inv_ok" \
	"^PANIC: invariant violated: CPU 0's ready bitmap disagrees with queue 0$"
qcase invariants_thread_cpu panic "$K --module $HELLO --cpus 2 --append selftest=inv_thread_cpu" "$inv_ok" \
	"^PANIC: invariant violated: thread [0-9]+ on CPU 1, but threads may be placed on 1 of 2 online$"
qcase invariants_cpu_data panic "$K --module $HELLO --cpus 2 --append selftest=inv_cpu_data" "$inv_ok" \
	"^PANIC: invariant violated: CPU 2 has per-CPU data but is not online$"
qcase invariants_pte panic "$K --module $HELLO --append selftest=inv_pte" "$inv_ok" \
	"^PANIC: invariant violated: task [0-9]+: the entry at 0x[0-9a-f]+ has rights 0x7 beyond its node's 0x[0-9a-f]$"

# The modules the in-system suite's programs come from (as tests/ktest.sh).
. tests/ktest-modules.sh

# The in-system suite's console side: what its Vcon cases wrote arrives. The
# whole suite runs in these two cases: CASE_TIMEOUT gives them longer.
CASE_TIMEOUT=240
qcase ktest_vcon_output idle "$K --icount --module $BUILD/user/ktest.elf $KTEST_MODULES" '^ktest: [0-9]+ cases$' \
	'^vcon: hello from a child task$' '^vcon: raw line$' '^vcon: written through the Vcon object$' \
	'^[0-9]+ passed, 0 failed$' '^mica: no runnable threads; test run ends \([1-9][0-9]* IPCs took the fast path\)$'

# The suite on a CPU with xsave (and AVX state): the FPU switch path that
# the default CPU model does not take.
qcase ktest_cpu_max_xsave idle "$K --icount --module $BUILD/user/ktest.elf $KTEST_MODULES --cpu max" '^fpu: xsave, [0-9]+-byte state per thread$' \
	'^ok [0-9]+ - thread_fpu_state_is_per_thread$' '^[0-9]+ passed, 0 failed$'
unset CASE_TIMEOUT

# Console input and the user-level drivers, typed in through QEMU: FEED
# waits for a line of the log, then sends text to the serial line (or,
# after Ctrl-A c, to the monitor, whose prompt may start a line). The
# Vcon passes bytes as they come (only \r becomes \n); the serial
# driver edits lines (\177 is backspace).
FEED='wait vconread.* reading
send first line\r
send second\r'
qcase vcon_read_from_serial_line idle "$ROOT --module '$BUILD/user/vconread.elf 2'" \
	"$(tagged vconread "line 1: 'first line' \\(10 bytes\\)$")" "$(tagged vconread "line 2: 'second' \\(6 bytes\\)$")" \
	"^root: 'vconread' exited with status 0$" "$ends_any"
# The same through musl: fgets on stdin reads descriptor 0, the Vcon
# (user/posix/io.c).
FEED='wait libc_echo.* reading
send typed into musl\r
send 2nd\r'
qcase musl_stdin_from_serial_line idle "$ROOT --module '$BUILD/user/libc_echo.elf 2'" \
	"$(tagged libc_echo "line 1: 'typed into musl' \\(15 bytes\\)$")" "$(tagged libc_echo "line 2: '2nd' \\(3 bytes\\)$")" \
	"^root: 'libc_echo' exited with status 0$" "$ends_any"
# Lua's interactive prompt on the console: lua with no script reads its
# lines from stdin, the Vcon (the back end counts descriptor 0 as a
# terminal); its prompt "> " starts the line its answer ends.
FEED='wait lua.* Lua 5\.4\.4  Copyright
send print(6 * 7, _VERSION, #arg)\r
send os.exit(3)\r'
qcase lua_prompt_on_the_console idle "$ROOT --module '$BUILD/user/lua.elf'" \
	"$(tagged lua 'Lua 5\.4\.4  Copyright \(C\) 1994-2022 Lua\.org, PUC-Rio$')" \
	"$(tagged lua "> 42	Lua 5\\.4	0$")" "^root: 'lua' exited with status 3$" "$ends_any"
SERIAL="$BUILD/user/serial.elf"
FEED='wait ^serial: COM1 driver
send hello\r
send mica\177\177ro\r'
qcase drivers_serial_reads_lines idle "$ROOT --module '$SERIAL 2 +icu +io=0x3f8:8 +prio=150 +vcon'" \
	'^serial: COM1 driver on ISA IRQ 4' "^serial: line 1: 'hello'$" "^serial: line 2: 'miro'$" \
	"^root: 'serial' exited with status 0$" "$ends_any"
FEED='wait kbd.* PS/2 keyboard driver
send \001c
send sendkey a\n
wait kbd.* scancode 0x9e
send sendkey shift-b\n'
qcase drivers_kbd_prints_scancodes idle "--monitor $ROOT --module '$BUILD/user/kbd.elf 6 +icu +io=0x60:1 +io=0x64:1'" \
	"$(tagged kbd 'PS/2 keyboard driver on ISA IRQ 1$')" "$(tagged kbd 'scancode 0x1e \(a down\)$')" \
	"$(tagged kbd 'scancode 0x9e \(a up\)$')" "$(tagged kbd 'scancode 0x2a \(shift down\)$')" \
	"$(tagged kbd 'scancode 0x30 \(b down\)$')" "$(tagged kbd 'scancode 0xb0 \(b up\)$')" \
	"$(tagged kbd 'scancode 0xaa \(shift up\)$')" "^root: 'kbd' exited with status 0$" "$ends_any"
# The X.2 loader (docs/x2.md, "Loading programs"): the suite's x2_ cases
# booted with the loader's modules (tests/ktest-modules.sh): x2hello runs
# from its boot module in a space of its own and talks to the root
# server; bad modules are refused. Not skipped here (the full suite's boot
# has no room for the modules).
CASE_TIMEOUT=240
qcase x2_load_suite idle "$K --icount --module '$BUILD/user/ktest.elf x2_' $KTEST_X2_MODULES" \
	'^KIP:   \[[0-9]+\] [0-9a-f]+ +[0-9]+ KiB  .*/x2hello\.elf$' '^x2hello: thread 0x[0-9a-f]+ in a space of its own, root server 0xc8001$' \
	'^ok [0-9]+ - x2_load_refuses_bad_modules$' '^ok [0-9]+ - x2_load_second_thread_in_space$' \
	'^x2hello: the root server answered 0x1234$' '^ok [0-9]+ - x2_load_runs_own_binary$' \
	'^ok [0-9]+ - x2_bootinfo_lists_modules$' '^[0-9]+ passed, 0 failed$' "$ends_any"
unset CASE_TIMEOUT
# pork booted as the root task itself (sigma0 its pager): it loads the
# boot modules after itself, x2hello into a space of its own, which calls
# it twice; the bad one is refused with the reason.
qcase x2_pork_loads_modules idle "$K --module $BUILD/user/pork.elf --module $BUILD/user/x2hello.elf --module $BUILD/user/badelf.elf" \
	'^ping: done$' '^load: .*/x2hello\.elf: thread 0x[0-9a-f]+, entry 0x400000$' \
	'^x2hello: thread 0x[0-9a-f]+ in a space of its own, root server 0xc8001$' \
	'^load: call 1 from 0x[0-9a-f]+: 6 words, first 0x[0-9a-f]+$' '^x2hello: the root server answered 0x[0-9a-f]+$' \
	'^load: call 2 from 0x[0-9a-f]+: 1 words, first 0x[0-9a-f]+$' '^x2hello: done \(ok\)$' \
	'^load: .*/x2hello\.elf: [0-9]+ page faults served$' \
	'^load: .*/badelf\.elf: ELF executable not loadable \(not x86-64\)$' "$ends_any"
# The X.2 personality's demo root server (user/x2/pork, docs/x2.md): its
# KIP summary, ping and pong in their own spaces, and each key pressed as
# an interrupt message from IRQ 1's thread id.
FEED='wait pork.* associate produces 1
send \001c
send sendkey a\n
wait pork.* scancode 0x9e
send sendkey b\n'
qcase x2_pork_demo idle "--monitor $ROOT --module '$BUILD/user/pork.elf 4 +icu +io=0x60:1 +io=0x64:1'" \
	"$(tagged pork 'This is a root server!$')" "$(tagged pork 'KIP at 0x7ffffff00000: API version 0x84, kernel id 0x4d494341$')" \
	"$(tagged pork 'KIP: [0-9]+ memory descriptors, [0-9]+ KiB conventional memory$')" \
	"$(tagged pork 'KIP: thread ids: system base 32, user base 48$')" \
	"$(tagged pork 'ping: sent 1, pong answered 100$')" "$(tagged pork 'ping: sent 5, pong answered 500$')" \
	"$(tagged pork 'ping: done$')" "$(tagged pork 'associate produces 1$')" \
	"$(tagged pork 'key: scancode 0x1e \(interrupt from 0x4001, label 0xfffffffffff0\)$')" \
	"$(tagged pork 'key: scancode 0x9e ')" "$(tagged pork 'key: scancode 0x30 ')" "$(tagged pork 'key: scancode 0xb0 ')" \
	"$(tagged pork 'pork: done$')" "^root: 'pork' exited with status 0$" "$ends_any"
FEED=
qcase root_rejects_bad_grants idle "$ROOT --module '$HELLO +bogus' --module '$HELLO +io=0x3f9:2' --module '$HELLO +prio=300 x'" \
	"^root: 'hello': cannot grant \+bogus: error 5$" "^root: 'hello' could not be started: error 5$" \
	"^root: 'hello': cannot grant \+io=0x3f9:2: error 5$" "^root: 'hello': cannot grant \+prio=300: error 5$" \
	'^root: no programs to run$' "$ends_any"
# Init (user/init, docs/init.md): the root task starts it alone when the
# image has it, and the boot script decides the rest.
INIT="$ROOT --module '$BUILD/user/init.elf"
qcase init_runs_a_boot_script idle "$INIT rom/minimal.lua' --module conf/minimal.lua --module $HELLO --module $BUILD/user/channel.elf" \
	"^root: started 'init' \(rom/minimal.lua\)$" "$(tagged hello 'argument 4: quotas$')" "$(tagged init 'minimal: hello exited with 0$')" \
	"$(tagged init 'minimal: client 0, server 0$')" \
	"$(tagged init "minimal: false start 'no-such-program': create: error NOT_FOUND \\(16\\)$")" \
	"^root: 'init' exited with status 0$" '^root: all programs have ended$' "$ends_any"
qcase init_script_error_on_the_console idle "$INIT rom/syntax.lua' --module tests/init/syntax.lua --module $BUILD/user/exit0.elf" \
	"$(tagged init "init: error: rom/syntax.lua:4: unexpected symbol near '='$")" "^root: 'init' exited with status 1$" "$ends_any"
FEED='wait init.* init: Lua prompt
send h = L4.default_loader:start({}, "rom/hello by hand")\r
send h:wait()\r
send exit\r'
qcase init_prompt_on_the_console idle "$INIT rom/prompt.lua' --module tests/init/prompt.lua --module $HELLO" \
	"$(tagged hello 'argument 3: prompt$')" "$(tagged init 'init: Lua prompt')" "$(tagged hello 'argument 2: hand$')" \
	"$(tagged init '0	exited$')" "$(tagged init 'init> exit$')" "$(tagged init 'init: prompt ends$')" "$(tagged init 'prompt.lua: done$')" \
	"^root: 'init' exited with status 0$" "$ends_any"

# The kernel debugger (docs/debugger.md), driven through the serial line:
# kdbtarget (user/tests/kdbtarget) builds a known state as the root task
# and enters the debugger through the kernel debug object, or waits for
# console lines while the break key (Ctrl-\, \034, first on a line)
# opens it. Every session ends with `go` and the system goes on.
KDBT="$BUILD/user/kdbtarget.elf"
kdb_in='^kdb: entered on CPU [0-9]+ \([0-9]+ online, the others (parked|stopped by the panic)\) by '
kdb_out='^kdb: leaving, the system goes on$'
FEED='wait kdbtarget: reading lines
send \034
wait ^kdb: entered
send help\r
send go\r
wait kdb: leaving
send quit\r'
qcase kdb_break_key_opens_prompt idle "$K --module '$KDBT wait'" "$kdb_in"'break key, thread' \
	'^help: threads +t ' '^help: go ' "$kdb_out" "^kdbtarget: line 'quit' \\(4 bytes\\)$" '^kdbtarget: done$' "$ends_any"
FEED='wait kdbtarget: reading lines
send ab\034c\r
wait kdbtarget: line
send \034
wait ^kdb: entered
send go\r
wait kdb: leaving
send quit\r'
qcase kdb_break_key_only_first_on_a_line idle "$K --module '$KDBT wait'" \
	"^kdbtarget: line 'ab.c' \\(4 bytes\\)$" "$kdb_in"'break key' "$kdb_out" "^kdbtarget: line 'quit'" "$ends_any"
FEED='wait kdbtarget: reading lines
send \034
wait ^kdb: entered
send nonsense 1 2\r
send bp 99999 0x1000\r
send map nosuchtask 0x1000\r
send go\r
wait kdb: leaving
send quit\r'
qcase kdb_rejects_bad_commands idle "$K --module '$KDBT wait'" "$kdb_in" \
	"^kdb: unknown command 'nonsense' \\(help lists them\\)$" "^kdb: no thread '99999'$" "^kdb: no task 'nosuchtask'$" \
	"$kdb_out" "^kdbtarget: done$" "$ends_any"
FEED='wait ^kdb: entered
send go\r'
qcase kdb_enter_by_kdebug_object idle "$K --module '$KDBT caps'" \
	"$kdb_in"'kdebug, thread [0-9]+ .kdbtarget.: capability test: gate 0x100' "$kdb_out" '^kdbtarget: done$' "$ends_any"
FEED='wait ^kdb: entered
send caps .\r
send go\r'
qcase kdb_caps_dump_matches idle "$K --module '$KDBT caps'" "$kdb_in" \
	'^cap 0x100 +gate +rights 0x7 label 0x0 obj gate:0x[0-9a-f]+$' \
	'^cap 0x101 +gate +rights 0x1 label 0xbeef obj gate:0x[0-9a-f]+ from task:[0-9]+ sel 0x100$' \
	'^cap 0x102 +irq +rights 0x[0-9a-f] label 0x0 obj irq:0x[0-9a-f]+$' \
	'^cap 0x103 +factory +rights 0x[0-9a-f] label 0x0 obj factory:0x[0-9a-f]+$' \
	"^caps: task [0-9]+ 'kdbtarget' holds [0-9]+$" "$kdb_out" "$ends_any"
FEED='wait ^kdb: entered
send who . 0x100\r
send who vcon\r
send go\r'
qcase kdb_who_holds_an_object idle "$K --module '$KDBT caps'" "$kdb_in" \
	"^who: task [0-9]+ 'kdbtarget' sel 0x100 rights 0x7 label 0x0$" \
	"^who: task [0-9]+ 'kdbtarget' sel 0x101 rights 0x1 label 0xbeef$" '^who: 2 capabilities name gate:0x[0-9a-f]+ \(its count: 2\)$' \
	"^who: task [0-9]+ 'kdbtarget' sel 0x5 " '^who: [0-9]+ capabilities name vcon ' "$kdb_out" "$ends_any"
FEED='wait ^kdb: entered
send threads\r
send go\r'
qcase kdb_threads_blocked_on_gates idle "$K --module '$KDBT block'" "$kdb_in" \
	'^thread 1 +task sigma0 +cpu 0 prio 100 .* state receiving from any bound gate or IRQ$' \
	'^thread 2 +task kdbtarget +cpu 0 prio 100 .* state running$' \
	'^thread 3 +task kdbtarget +cpu 0 prio 90 .* state receiving from gate:0x[0-9a-f]+ \(no server\)$' \
	'^thread 4 +task kdbtarget +cpu 0 prio 90 .* state receiving from any bound gate or IRQ$' \
	"^thread 5 +task kdbtarget +cpu 0 prio 90 .* state sending to gate:0x[0-9a-f]+ \\(server 3 'kdbtarget'\\), then waits" \
	"^thread 6 +task kdbtarget +cpu 0 prio 90 .* state waiting for reply from 4 'kdbtarget'$" '^threads: 6$' "$kdb_out" "$ends_any"
FEED='wait ^kdb: entered
send threads\r
send go\r'
qcase kdb_thread_sending_names_its_server idle "$K --module '$KDBT block'" "$kdb_in" \
	"state sending to gate:0x[0-9a-f]+ \\(server [0-9]+ 'kdbtarget'\\), then waits for the reply$" "$kdb_out" "$ends_any"
FEED='wait ^kdb: entered
send gates\r
send go\r'
qcase kdb_gates_show_queues idle "$K --module '$KDBT block'" "$kdb_in" \
	"^gate gate:0x[0-9a-f]+ bound 1 'sigma0' caps 1 senders 0 receivers 0$" \
	'^gate gate:0x[0-9a-f]+ bound - caps 1 senders 0 receivers 1$' "^  receivers: 3 'kdbtarget'$" \
	"^gate gate:0x[0-9a-f]+ bound 3 'kdbtarget' caps 1 senders 1 receivers 0 pending$" "^  senders: 5 'kdbtarget'$" '^gates: 4$' \
	"$kdb_out" "$ends_any"
FEED='wait ^kdb: entered
send tv .\r
send go\r'
qcase kdb_thread_detail idle "$K --module '$KDBT block'" "$kdb_in" '^thread [0-9]+ +task kdbtarget .* state running$' \
	'^  regs: ip [0-9a-f]{16} sp [0-9a-f]{16} flags ' '^  utcb 0x7fffffe00000: error ' '^  mr0-7: 0 0 ' \
	'^  kernel: on CPU 0, its backtrace:$' ' kdb_cmd_thread\+0x' ' session\+0x' ' invoke_kernel_object\+0x' "$kdb_out" "$ends_any"
FEED='wait ^kdb: entered
send tasks\r
send f\r
send go\r'
qcase kdb_tasks_and_factories idle "$K --module '$KDBT caps'" "$kdb_in" \
	'^task 1 +sigma0 +threads 1 caps [0-9]+ utcb 0x[0-9a-f]+\+0x[0-9a-f]+ physical-space io-root obj task:1$' \
	'^task [0-9]+ +kdbtarget +threads 1 caps [0-9]+ ' '^tasks: 2$' \
	'^factory factory:0x[0-9a-f]+ used [0-9]+ of [0-9]+ bytes \([0-9]+%\) objects charged [0-9]+ parent none$' \
	'^factory factory:0x[0-9a-f]+ used 0 of 262144 bytes \(0%\) objects charged 0 parent factory:0x' '^factories: 2$' \
	"$kdb_out" "$ends_any"
FEED='wait ^kdb: entered
send irqs\r
send rq\r
send cpus\r
send go\r'
qcase kdb_irqs_runqueues_cpus idle "$K --module '$KDBT caps'" "$kdb_in" '^irq irq:0x[0-9a-f]+ virtual attached - label 0x0$' \
	'^irqs: [0-9]+$' "^rq: cpu 0 current [0-9]+ 'kdbtarget'$" "^cpu 0 apic 0 debugger current [0-9]+ 'kdbtarget' ready" \
	"$kdb_out" "$ends_any"
FEED='wait ^kdb: entered
send map . $\r
send go\r'
qcase kdb_mapping_tree_down_to_sigma0 idle "$K --module '$KDBT map'" "$kdb_in" \
	"^map: task [0-9]+ 'kdbtarget' va 0x[0-9a-f]+ -> phys 0x[0-9a-f]+ rights rw-$" \
	"^map: this: task [0-9]+ 'kdbtarget' va 0x[0-9a-f]+ phys 0x[0-9a-f]+ size 4K rights rw" \
	'^map:   root: physical 0x[0-9a-f]+, from sigma0' "^map:   to task [0-9]+ 'task' va 0x10000000 phys 0x[0-9a-f]+ size 4K rights rw-$" \
	"^map:     to task [0-9]+ 'task' va 0x20000000 phys 0x[0-9a-f]+ size 4K rights r--$" '^map: 2 mappings derived from it$' \
	"$kdb_out" "$ends_any"
FEED='wait ^kdb: entered
send map 4 0x20000000\r
send go\r'
qcase kdb_mapping_chain_of_a_grandchild idle "$K --module '$KDBT map'" "$kdb_in" \
	"^map: task 4 'task' va 0x20000000 -> phys 0x[0-9a-f]+ rights r--$" \
	"^map:   from task 3 'task' va 0x10000000 " "^map:     from task [0-9]+ 'kdbtarget' va 0x[0-9a-f]+ " \
	'^map:       root: physical 0x[0-9a-f]+, from sigma0' '^map: 0 mappings derived from it$' "$kdb_out" "$ends_any"
FEED='wait ^kdb: entered
send pt . $\r
send dv . $ 32\r
send go\r'
qcase kdb_page_walk_and_dump idle "$K --module '$KDBT map'" "$kdb_in" \
	'^pt: PML4 0x[0-9a-f]+\[ *[0-9]+\] = 0x[0-9a-f]{16} present write user' '^pt: PDPT ' '^pt: PD ' '^pt: PT ' '^pt: -> physical 0x' \
	'^dump: [0-9a-f]{16}: [0-9a-f]{16} [0-9a-f]{16} \|kdbtarget: a pag\|$' '^dump: [0-9a-f]{16}: .*\|e to map\.\.\.\.\.\.\.\.\|$' \
	"$kdb_out" "$ends_any"
FEED='wait ^kdb: entered
send dp 0x0 16\r
send dp 0x7fffffffff000\r
send go\r'
qcase kdb_dump_physical idle "$K --module '$KDBT map'" "$kdb_in" '^dump: 0000000000000000: [0-9a-f]{16} [0-9a-f]{16} \|' \
	'^dump: physical 0x7fffffffff000 is not in the direct map$' "$kdb_out" "$ends_any"
FEED='wait kdbtarget: ping-pong running
send \034
wait ^kdb: entered
send tr on\r
send go\r
wait kdb: leaving
send \034
wait kdb: leaving
send tr 8\r
send tr off\r
send go\r
wait kdb: leaving
send stop\r'
qcase kdb_trace_shows_pingpong_labels idle "$K --module '$KDBT pingpong'" "$kdb_in" '^tr: tracing on' "$kdb_out" \
	"^tr: #[0-9]+ [0-9]+ us cpu 0 ipc [0-9]+ 'kdbtarget' -> [0-9]+ 'kdbtarget' label 0x5a5a tag 0x[0-9a-f]+ \\(op 7, 1 words, 0 items\\)$" \
	"^tr: #[0-9]+ [0-9]+ us cpu 0 ipc [0-9]+ 'kdbtarget' -> [0-9]+ 'kdbtarget' label 0x0 tag 0x[0-9a-f]+ \\(op 0, 1 words, 0 items\\)$" \
	'^tr: [0-9]+ shown, [0-9]+ recorded, tracing on$' '^tr: tracing off' '^kdbtarget: ping-pong continues' "$ends_any"
FEED='wait kdbtarget: ping-pong running
send \034
wait ^kdb: entered
send tr on\r
send go\r
wait kdb: leaving
send \034
wait kdb: leaving
send tr task sigma0\r
send tr task kdbtarget 2\r
send tr clear\r
send tr\r
send go\r
wait kdb: leaving
send stop\r'
qcase kdb_trace_filters_by_task idle "$K --module '$KDBT pingpong'" "$kdb_in" "$kdb_out" \
	'^tr: 0 shown, [0-9]+ recorded, tracing on$' "^tr: #[0-9]+ .* 'kdbtarget' -> " "^tr: #[0-9]+ .* 'kdbtarget' -> " \
	'^tr: 2 shown, ' '^tr: cleared$' '^tr: 0 shown, 0 recorded' '^kdbtarget: ping-pong continues' "$ends_any"
FEED='wait kdbtarget: ping-pong running
send \034
wait ^kdb: entered
send threads\r
send go\r
wait kdb: leaving
send stop\r'
qcase kdb_leaving_resumes_pingpong idle "$K --module '$KDBT pingpong'" "$kdb_in"'break key' \
	"state (ready|running|waiting for reply from [0-9]+ 'kdbtarget'|receiving from any bound gate or IRQ)$" "$kdb_out" \
	'^kdbtarget: ping-pong continues: [0-9]+ rounds, [1-9][0-9]* in the last 20 ms$' '^kdbtarget: done$' "$ends_any"
FEED='wait kdbtarget: ping-pong running
send \034
wait ^kdb: entered
send cpus\r
send threads\r
send bt 2\r
send go\r
wait kdb: leaving
send stop\r'
qcase kdb_on_4_cpus idle "$K --module '$KDBT pingpong 1 2' --cpus 4" '^kdb: entered on CPU [0-9] \(4 online, the others parked\) by break key' \
	'^cpu 0 apic 0 (debugger|parked) ' '^cpu 1 apic 1 (debugger|parked) ' '^cpu 2 apic 2 (debugger|parked) ' '^cpu 3 apic 3 (debugger|parked) ' \
	'^cpus: 4 online, threads placed on 4$' "^thread 3 +task kdbtarget +cpu 2 " "^thread 4 +task kdbtarget +cpu 1 " \
	'^bt: CPU 2$' "$kdb_out" '^kdbtarget: ping-pong continues' "$ends_any"
FEED='wait ^kdb: entered
send bp . $\r
send catch on\r
send go\r
wait by breakpoint, thread
send ss .\r
send go\r
wait by single step, thread
send bc all\r
send go\r'
qcase kdb_breakpoint_and_step_open_the_debugger idle "$K --module '$KDBT bp'" "$kdb_in" \
	'^bp: 0 thread [0-9]+ x at 0x4[0-9a-f]+ len 1$' '^catch: on' "$kdb_out" \
	"${kdb_in}breakpoint, thread [0-9]+ 'kdbtarget': breakpoint 0 \\(x 0x4[0-9a-f]+\\) at ip 0x4[0-9a-f]+$" \
	'^ss: thread [0-9]+ stops after its next instruction$' "${kdb_in}single step, thread [0-9]+ 'kdbtarget': single step to ip 0x4" \
	'^bp: cleared all$' '^kdbtarget: breakpoint test done, target ran 1 time\(s\)$' "$ends_any"
FEED=
qcase kdb_breakpoint_and_step_go_to_the_handler idle "$K --module '$KDBT bphandler'" \
	'^kdb: run by thread [0-9]+: catch off; bp \. \$ w 8$' '^bp: 0 thread [0-9]+ w at 0x[0-9a-f]+ len 8$' \
	'^kdbtarget: handler: exception 1 at ip 0x4[0-9a-f]+, debug status 0x[0-9a-f]+ \(breakpoint 0\)$' \
	'^kdbtarget: wrote the watched word: 5$' '^kdb: run by thread [0-9]+: bc all; ss \.$' \
	'^kdbtarget: handler: exception 1 at ip 0x4[0-9a-f]+, debug status 0x[0-9a-f]+ \(single step\)$' \
	'^kdbtarget: breakpoint handler test done$' "$ends_any"
qcase kdb_trace_records_invocations_and_errors idle "$K --module '$KDBT trace'" '^kdb: run by thread [0-9]+: tr clear; tr on$' \
	'^tr: tracing on \(0 records so far\)$' '^kdbtarget: traced$' '^tr: tracing off \(3 records so far\)$' \
	"^tr: #1 [0-9]+ us cpu 0 invoke 2 'kdbtarget' vcon op 1 tag 0x[0-9a-f]+ result 0$" \
	"^tr: #2 [0-9]+ us cpu 0 invoke 2 'kdbtarget' task op 1 tag 0x10001 result 0$" "^tr: #3 [0-9]+ us cpu 0 error 2 'kdbtarget' result 1$" \
	'^tr: 3 shown, 3 recorded, tracing off$' "$ends_any"
qcase kdb_run_commands_from_a_program idle "$K --module '$KDBT run tasks;threads'" '^kdb: run by thread [0-9]+: tasks;threads$' \
	'^tasks: 2$' '^threads: 2$' '^kdbtarget: done$' "$ends_any"
FEED='wait ^kdb: entered
send threads\r
send bt\r
send go\r'
qcase kdb_panic_opens_the_debugger panic "$K --module $HELLO --append 'selftest=panic kdb'" '^PANIC: selftest: deliberate panic$' \
	"${kdb_in}panic, thread -: go ends with the panic's halt$" '^thread 2 +task hello +cpu 0 prio 100 .* state ready$' '^threads: 2$' '^bt: CPU 0$' ' session\+0x' ' panic_end\+0x' \
	'^kdb: leaving, the panic goes on$' '^backtrace:$' ' selftest_panic\+0x' '^mica: kernel halted$'
FEED='wait ^kdb: entered
send cpus\r
send go\r'
qcase kdb_assert_opens_the_debugger_4_cpus panic "$K --module $HELLO --cpus 4 --append 'selftest=assert kdb'" \
	'^PANIC: assertion failed: one != 1' "${kdb_in}panic" '^cpu 1 apic 1 stopped ' '^cpu 3 apic 3 stopped ' '^kdb: leaving, the panic goes on$' \
	' selftest_assert\+0x' '^mica: kernel halted$'
FEED='wait ^kdb: entered
send reboot\r'
qcase kdb_reboot reboot "$K --module '$KDBT caps'" "$kdb_in" '^kdb: rebooting$'
FEED=
