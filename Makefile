# Mica: build, run and test. `make help` lists the targets.
.DEFAULT_GOAL := all
.DELETE_ON_ERROR:
.SUFFIXES:

# FASTPATH=0 builds the kernel without the IPC fast path (in build-nofp).
FASTPATH ?= 1
BUILD ?= $(if $(filter 0,$(FASTPATH)),build-nofp,build)
ARCH := x86_64
PLATFORM := pc
CC := gcc
LD := ld
NM := nm
V ?= 0
Q := $(if $(filter 1,$(V)),,@)

# Run-time knobs (see README): ACCEL=tcg|kvm, CPUS, MEM, CPU, APPEND
ACCEL ?= tcg
CPUS ?= 2
MEM ?= 256M
CPU ?=
APPEND ?=
# DEBUG=1 (default) evaluates assert() and builds in the invariant checker
# and the kernel debugger (kernel/debug/kdb); DEBUG=0, or RELEASE=1, leaves
# them out and only type-checks the asserts.
RELEASE ?= 0
DEBUG ?= $(if $(filter 1,$(RELEASE)),0,1)

WARN := -Wall -Wextra -Werror -std=c11
GEN := $(BUILD)/gen

KERNEL_CFLAGS := $(WARN) -O2 -g -ffreestanding -fno-stack-protector -fno-pic -fno-pie \
	-mno-red-zone -mcmodel=kernel -mgeneral-regs-only -fno-omit-frame-pointer \
	-fno-asynchronous-unwind-tables -fno-common \
	-Iinclude -Ikernel -Ikernel/arch/$(ARCH)/include -Ilib/include -Ilib/freestanding -I$(GEN) -MMD -MP \
	$(if $(filter 1,$(DEBUG)),-DMICA_DEBUG) -DMICA_FASTPATH=$(FASTPATH)
KERNEL_LDFLAGS := -nostdlib -z max-page-size=0x1000 -z noexecstack --no-warn-rwx-segments \
	-T kernel/arch/$(ARCH)/linker.ld

USER_CFLAGS := $(WARN) -O2 -g -ffreestanding -fno-stack-protector -fno-pic -fno-pie \
	-fno-omit-frame-pointer -fno-asynchronous-unwind-tables \
	-Iinclude -Iuser/lib/include -Iuser/services -Iuser/x2/include -Ilib/include -Ilib/freestanding -MMD -MP
USER_LDFLAGS := -nostdlib -static -z max-page-size=0x1000 -z noexecstack -T user/lib/user.ld

# Host unit tests: the kernel's pure logic under ASan and UBSan.
HOST_CFLAGS := $(WARN) -D_POSIX_C_SOURCE=200809L -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer -Iinclude -Ikernel -Ikernel/arch/$(ARCH)/include -Ilib/include -MMD -MP

# Every kernel subsystem folder (kernel/README.md), this architecture and
# its platform; other architectures' folders are left out.
KERNEL_DIRS := $(filter-out kernel/arch kernel/platform,$(patsubst %/,%,$(wildcard kernel/*/))) \
	kernel/arch/$(ARCH) kernel/platform/$(PLATFORM) $(if $(filter 1,$(DEBUG)),kernel/debug/kdb)
KERNEL_SRCS := $(wildcard $(addsuffix /*.c,$(KERNEL_DIRS)) kernel/arch/$(ARCH)/*.S lib/*.c)
CORE_SRCS := $(wildcard $(addsuffix /*.c,$(filter-out kernel/arch/% kernel/platform/%,$(KERNEL_DIRS))))
KERNEL_OBJS := $(patsubst %,$(BUILD)/kernel-obj/%.o,$(KERNEL_SRCS))

ULIB_SRCS := $(wildcard user/lib/*.c user/lib/*.S lib/*.c)
ULIB_OBJS := $(patsubst %,$(BUILD)/user-obj/%.o,$(ULIB_SRCS))
# Server code, one static library per folder of user/services (its
# README.md): the programs that serve it (the root task, ktest, the
# fuzzers) link it, and a program that does not use it gets none of it.
SERVICES := $(notdir $(patsubst %/,%,$(wildcard user/services/*/)))
SVC_LIBS := $(foreach s,$(SERVICES),$(BUILD)/user/libsvc-$(s).a)
# The L4 X.2 personality (user/x2, docs/x2.md): a library X.2 programs link.
X2_OBJS := $(patsubst %,$(BUILD)/user-obj/%.o,$(wildcard user/x2/*.c))
X2_LIB := $(BUILD)/user/libx2.a
USER_PROGS := sigma0 root hello demos/pingpong demos/channel drivers/serial drivers/kbd tests/fault tests/vconread tests/progtest tests/ktest \
	tests/fuzz tests/svcfuzz tests/exit0 tests/kdbtarget tests/ldtest bench x2/pork x2/x2hello
USER_ELFS := $(foreach p,$(USER_PROGS),$(BUILD)/user/$(notdir $(p)).elf) $(BUILD)/user/badelf.elf

UNIT_TESTS := $(patsubst tests/unit/%.c,%,$(wildcard tests/unit/test_*.c))
UNIT_BINS := $(patsubst %,$(BUILD)/tests/%,$(UNIT_TESTS))

# Writes a compile_commands.json fragment beside each object.
define compile
	@mkdir -p $(dir $@)
	$(Q)$(1) -c $< -o $@
	@printf '{"directory":"%s","file":"%s","command":"%s -c %s -o %s"},\n' \
		"$(CURDIR)" "$<" "$(strip $(1))" "$<" "$@" > $@.json
endef

.PHONY: all kernel user libc iso run gdb test check unit ktest nofp bench qemu-tests format format-check lint check-layout \
	fuzz-host fuzz fuzz-services source-map check-source-map prove model \
	compile_commands.json clean help deps-run deps-test deps-iso
all: kernel user libc

help:
	@echo "make            build the kernel and user programs"
	@echo "make run        boot in QEMU (TCG); ACCEL=kvm CPUS=N MEM=256M CPU=max APPEND='...'"
	@echo "make test       every test; ends with 'N passed, N failed'"
	@echo "make ktest      the in-system test suite (TAP); FASTPATH=0 without the IPC fast path, ONLY=prefix for some cases, CPUS=N on N CPUs (default 1)"
	@echo "make bench      benchmarks (guest instructions, -icount); ITER=N, ACCEL=kvm for cycles, ONLY=a,b*"
	@echo "make bench-trace ONLY=name   kernel instructions per function for one benchmark"
	@echo "make iso        GRUB2 bootable ISO in $(BUILD)/mica.iso"
	@echo "make gdb        boot halted with QEMU's gdb stub and attach gdb"
	@echo "make lint       cppcheck and clang-tidy, clean on kernel/, lib/ and user/"
	@echo "make check-layout   core includes only the arch hooks; arch and platform code no core headers"
	@echo "make fuzz-host SECONDS=N   the libFuzzer harnesses of the parsers, N seconds each"
	@echo "make fuzz ITER=N SEED=S    the hostile-user fuzzer in QEMU (default 20000 invocations, seed 1; CPUS=N on N CPUs)"
	@echo "make fuzz-services ITER=N SEED=S   the protocol fuzzer of the user-level servers (default 5000, seed 1)"
	@echo "make prove      Frama-C WP proofs of the kernel contracts; make model: the SPIN model (docs/assurance.md)"
	@echo "make source-map   rewrite the source map in docs/architecture.md; make check-source-map checks it"
	@echo "make compile_commands.json, make format, make format-check, make clean"

# ---- kernel ---------------------------------------------------------------
kernel: $(BUILD)/kernel.elf

$(GEN)/version.h: FORCE
	@mkdir -p $(GEN)
	@v=$$(git describe --always --dirty 2>/dev/null || echo unknown); \
	 c=$$($(CC) -dumpfullversion 2>/dev/null || $(CC) -dumpversion); \
	 printf '#define MICA_BUILD "mica %s gcc %s"\n' "$$v" "$$c" > $@.tmp; \
	 cmp -s $@.tmp $@ && rm -f $@.tmp || mv $@.tmp $@
FORCE:

# Changing a knob (DEBUG, FASTPATH) rebuilds the kernel: the objects
# depend on a file that changes only when the flags do.
$(GEN)/kernel-flags: FORCE
	@mkdir -p $(GEN)
	@echo '$(KERNEL_CFLAGS)' > $@.tmp; cmp -s $@.tmp $@ && rm -f $@.tmp || mv $@.tmp $@

# The system-call entry and the switch to user mode never return: they
# need no frame pointer, and no callee-saved registers that they would
# only push once and never pop (values live across their few calls to
# ordinary functions are spilled on those rare paths instead).
NORETURN_PATH_CFLAGS := -fomit-frame-pointer -ffixed-rbx -ffixed-rbp -ffixed-r12 -ffixed-r13 -ffixed-r14 \
	-ffixed-r15
$(BUILD)/kernel-obj/kernel/arch/$(ARCH)/context.c.o: EXTRA_CFLAGS := $(NORETURN_PATH_CFLAGS)
# The system-call entry's file may also use R14 and R15 without saving
# them (call-used): the entry saves those two (entry.S, SYSCALL_ENTRY).
SYSCALL_PATH_CFLAGS := -fomit-frame-pointer -ffixed-rbx -ffixed-rbp -ffixed-r12 -ffixed-r13 -fcall-used-r14 \
	-fcall-used-r15
$(BUILD)/kernel-obj/kernel/ipc/syscall.c.o: EXTRA_CFLAGS := $(SYSCALL_PATH_CFLAGS)

$(BUILD)/kernel-obj/%.c.o: %.c $(GEN)/kernel-flags | $(GEN)/version.h
	$(call compile,$(CC) $(KERNEL_CFLAGS) $(EXTRA_CFLAGS))
$(BUILD)/kernel-obj/%.S.o: %.S $(GEN)/kernel-flags
	$(call compile,$(CC) $(KERNEL_CFLAGS) -D__ASSEMBLY__)

# Two links: the first finds the addresses of the functions, which become
# the symbol table for backtraces; the table sits after the code, so the
# second link keeps every function where it was (tools/check-image.sh).
$(BUILD)/kernel.elf: $(KERNEL_OBJS) kernel/arch/$(ARCH)/linker.ld tools/gen-ksyms.sh tools/check-image.sh
	$(Q)sh tools/gen-ksyms.sh < /dev/null > $(BUILD)/ksyms-empty.S
	$(Q)$(CC) -c $(BUILD)/ksyms-empty.S -o $(BUILD)/ksyms-empty.o
	$(Q)$(LD) $(KERNEL_LDFLAGS) -o $(BUILD)/kernel.pass1.elf $(KERNEL_OBJS) $(BUILD)/ksyms-empty.o
	$(Q)$(NM) -n $(BUILD)/kernel.pass1.elf | sh tools/gen-ksyms.sh > $(BUILD)/ksyms.S
	$(Q)$(CC) -c $(BUILD)/ksyms.S -o $(BUILD)/ksyms.o
	$(Q)$(LD) $(KERNEL_LDFLAGS) -o $@ $(KERNEL_OBJS) $(BUILD)/ksyms.o
	$(Q)sh tools/check-image.sh $(BUILD)/kernel.pass1.elf $@
	@echo "  built $@"

# ---- user programs ----------------------------------------------------------
user: $(USER_ELFS)

$(BUILD)/user-obj/%.c.o: %.c
	$(call compile,$(CC) $(USER_CFLAGS))
$(BUILD)/user-obj/%.S.o: %.S
	$(call compile,$(CC) $(USER_CFLAGS) -D__ASSEMBLY__)

$(BUILD)/user/libmica.a: $(ULIB_OBJS)
	@mkdir -p $(dir $@)
	$(Q)rm -f $@ && ar rcs $@ $^

define svc_lib
$(BUILD)/user/libsvc-$(1).a: $(patsubst %,$(BUILD)/user-obj/%.o,$(wildcard user/services/$(1)/*.c))
	@mkdir -p $$(dir $$@)
	$(Q)rm -f $$@ && ar rcs $$@ $$^
endef
$(foreach s,$(SERVICES),$(eval $(call svc_lib,$(s))))

# X.2 programs keep their main(): the personality's start wraps it.
$(BUILD)/user/pork.elf $(BUILD)/user/x2hello.elf: USER_LDFLAGS += --wrap=main

$(X2_LIB): $(X2_OBJS)
	@mkdir -p $(dir $@)
	$(Q)rm -f $@ && ar rcs $@ $^

define user_prog
$(BUILD)/user/$(notdir $(1)).elf: $(patsubst %,$(BUILD)/user-obj/%.o,$(wildcard user/$(1)/*.c)) $(SVC_LIBS) $(X2_LIB) $(BUILD)/user/libmica.a user/lib/user.ld
	@mkdir -p $$(dir $$@)
	$(Q)$(LD) $$(USER_LDFLAGS) -o $$@ $$(filter %.o,$$^) --start-group $(SVC_LIBS) $(X2_LIB) $(BUILD)/user/libmica.a --end-group
endef
$(foreach p,$(USER_PROGS),$(eval $(call user_prog,$(p))))

# A malformed program for the loader_ cases: exit0 with e_machine (offset
# 18) made 0, which the loader must refuse.
$(BUILD)/user/badelf.elf: $(BUILD)/user/exit0.elf
	$(Q)cp $< $@ && printf '\000\000' | dd of=$@ bs=1 seek=18 conv=notrunc status=none

# ---- C programs on musl (user/posix/README.md, docs/apps.md) ---------------
# musl from Debian's source package (tools/deps.sh musl fetches it), built
# once out of tree with Mica's overlay (user/posix/musl); the POSIX back
# end (user/posix) and a few user/lib files for it; mica-cc, the
# compiler wrapper; and the programs built with it.
# One musl for every build directory (FASTPATH=0's too): the C library
# does not depend on the kernel's configuration.
MUSL_TOP := build
MUSL := $(MUSL_TOP)/musl/sysroot
MUSL_LIBC := $(MUSL)/lib/libc.a
POSIX_SRCS := $(wildcard user/posix/*.c)
POSIX_OBJS := $(patsubst %,$(BUILD)/posix-obj/%.o,$(POSIX_SRCS))
POSIX_CFLAGS := $(WARN) -D_GNU_SOURCE -O2 -g -fno-pie -fno-stack-protector -fno-omit-frame-pointer \
	-nostdinc -isystem $(MUSL)/include -isystem $(shell $(CC) -print-file-name=include) \
	-Iinclude -Iuser/lib/include -I$(BUILD)/posix -MMD -MP
# The user/lib files the back end uses; not start.c or runtime.c (their
# exit and printf are musl's in a musl program).
MICA_RT_OBJS := $(patsubst %,$(BUILD)/user-obj/user/lib/%.c.o,log env objects memory fs ns)
MICA_CC := $(BUILD)/bin/mica-cc
LIBC_PROGS := $(BUILD)/user/libc_hello.elf $(BUILD)/user/libc_echo.elf $(BUILD)/user/libc_file.elf \
	$(BUILD)/user/libc_fsbench.elf $(BUILD)/user/libc_libcbench.elf $(BUILD)/user/libc_suite.elf \
	$(BUILD)/user/libc_zdata.elf

libc: $(LIBC_PROGS)

$(MUSL_LIBC): tools/musl-build.sh tools/deps.sh $(wildcard user/posix/musl/*)
	@BUILD=$(MUSL_TOP) sh tools/deps.sh musl
	@echo "  musl (tools/musl-build.sh, -j2)"
	$(Q)sh tools/musl-build.sh $(MUSL_TOP)
	@touch $@

# Every system call's name, for the back end's ENOSYS report.
$(BUILD)/posix/syscall_names.h: $(MUSL_LIBC)
	@mkdir -p $(dir $@)
	$(Q){ echo '/* Generated from musl'"'"'s bits/syscall.h by the Makefile. */'; \
	  echo 'static const char *const posix_syscall_names[] = {'; \
	  sed -n 's/^#define __NR_\([a-z0-9_]*\)[ \t]*\([0-9][0-9]*\)$$/\t[\2] = "\1",/p' $(MUSL)/include/bits/syscall.h; \
	  echo '};'; } >$@

$(BUILD)/posix-obj/%.c.o: %.c $(MUSL_LIBC) $(BUILD)/posix/syscall_names.h
	$(call compile,$(CC) $(POSIX_CFLAGS))

$(BUILD)/lib/libmica-posix.a: $(POSIX_OBJS)
	@mkdir -p $(dir $@)
	$(Q)rm -f $@ && ar rcs $@ $^
$(BUILD)/lib/libmica-rt.a: $(MICA_RT_OBJS) Makefile
	@mkdir -p $(dir $@)
	$(Q)rm -f $@ && ar rcs $@ $(filter %.o,$^)

$(MICA_CC): tools/mica-cc.sh $(MUSL_LIBC) $(BUILD)/lib/libmica-posix.a $(BUILD)/lib/libmica-rt.a
	@mkdir -p $(dir $@)
	$(Q)sed -e 's|@SYSROOT@|$(CURDIR)/$(MUSL)|' -e 's|@LIBDIR@|$(CURDIR)/$(BUILD)/lib|' $< >$@ && chmod +x $@

# musl's functions that still execute the syscall instruction themselves
# (its assembly for threads, signals and vfork: user/posix/README.md).
$(MUSL_TOP)/musl/syscall-insn.txt: $(MUSL_LIBC)
	$(Q)objdump -d $< | awk '/^[0-9a-f]+ <.*>:$$/ { f = $$2; gsub(/[<>:]/, "", f) } /\tsyscall *$$/ { print f }' | sort -u >$@

# A musl program must not link any of them: with Linux numbers in rax
# they would be Mica system calls.
$(BUILD)/user/libc_%.elf: user/tests/libc/%.c $(MICA_CC) $(MUSL_TOP)/musl/syscall-insn.txt
	@mkdir -p $(dir $@)
	$(Q)$(MICA_CC) $(WARN) -O2 -g -o $@ $<
	$(Q)if nm $@ | awk '{ print $$NF }' | grep -qxFf $(MUSL_TOP)/musl/syscall-insn.txt; then \
		echo "$@: links musl code that executes the syscall instruction" >&2; rm -f $@; exit 1; fi

# The libc test program (docs/apps.md): every file of user/tests/libc_suite
# in one program, and the list of its checks, one ktest case each
# (user/tests/ktest/libc_suite_tests.c includes it).
LIBC_SUITE_SRCS := $(wildcard user/tests/libc_suite/*.c)
$(BUILD)/user/libc_suite.elf: $(LIBC_SUITE_SRCS) user/tests/libc_suite/suite.h $(MICA_CC) \
		$(MUSL_TOP)/musl/syscall-insn.txt
	@mkdir -p $(dir $@)
	$(Q)$(MICA_CC) $(WARN) -D_GNU_SOURCE -O2 -g -o $@ $(LIBC_SUITE_SRCS)
	$(Q)if nm $@ | awk '{ print $$NF }' | grep -qxFf $(MUSL_TOP)/musl/syscall-insn.txt; then \
		echo "$@: links musl code that executes the syscall instruction" >&2; rm -f $@; exit 1; fi
$(GEN)/libc_suite_cases.h: $(LIBC_SUITE_SRCS) tools/libc-suite-cases.sh
	@mkdir -p $(dir $@)
	$(Q)sh tools/libc-suite-cases.sh $(LIBC_SUITE_SRCS) >$@.tmp && mv $@.tmp $@
$(BUILD)/user-obj/user/tests/ktest/libc_suite_tests.c.o: $(GEN)/libc_suite_cases.h
$(BUILD)/user-obj/user/tests/ktest/libc_suite_tests.c.o: USER_CFLAGS += -I$(GEN)

# ---- third-party programs from Debian sources (docs/apps.md) ----------------
# Lua 5.4's standalone interpreter and zlib with its minigzip, compiled
# with mica-cc from Debian 12's source packages as they are (tools/deps.sh
# apps fetches them; nothing of theirs is changed or committed). Their
# objects, like musl, are shared by every build directory and built
# once; each build directory links its own programs from them.
APPS := $(MUSL_TOP)/apps
APPS_FETCHED := $(MUSL_TOP)/deps/apps.fetched
LUA_SRC := $(MUSL_TOP)/deps/lua5.4/lua5.4-5.4.4/src
ZLIB_SRC := $(MUSL_TOP)/deps/zlib/zlib-1.2.13.dfsg
# Lua's own makefile's core and library files (not luac), and its flags
# for a POSIX system without dynamic libraries: LUA_USE_POSIX (isatty for
# the prompt, mkstemp, popen), LUA_COMPAT_5_3 as Debian builds it.
LUA_MODS := lapi lcode lctype ldebug ldo ldump lfunc lgc llex lmem lobject lopcodes lparser lstate lstring \
	ltable ltm lundump lvm lzio lauxlib lbaselib lcorolib ldblib liolib lmathlib loadlib loslib lstrlib \
	ltablib lutf8lib linit lua
LUA_OBJS := $(patsubst %,$(APPS)/lua/%.o,$(LUA_MODS))
# Modules are found in /rom and /tmp; there are no C modules. Debian's
# luaconf.h needs the header its build generates (user/apps/lua).
LUA_CFLAGS := -std=gnu99 -O2 -g -Wall -Wextra -DLUA_COMPAT_5_3 -DLUA_USE_POSIX -Iuser/apps/lua \
	-DLUA_PATH_DEFAULT='"/rom/?.lua;/tmp/?.lua;/tmp/?/init.lua"' -DLUA_CPATH_DEFAULT='""'
# zlib's library (its Makefile's OBJZ and OBJG) and test/minigzip.c; the
# defines are what its configure finds on a POSIX system.
ZLIB_MODS := adler32 crc32 deflate infback inffast inflate inftrees trees zutil compress uncompr gzclose \
	gzlib gzread gzwrite test/minigzip
ZLIB_OBJS := $(patsubst %,$(APPS)/zlib/%.o,$(ZLIB_MODS))
ZLIB_CFLAGS := -O2 -g -Wall -DHAVE_UNISTD_H -DHAVE_STDARG_H -D_LARGEFILE64_SOURCE=1 -I$(ZLIB_SRC)

$(APPS_FETCHED): tools/deps.sh
	@BUILD=$(MUSL_TOP) sh tools/deps.sh apps
	@touch $@
# The sources are pinned and never change: no header dependencies. The
# compiler is this build directory's mica-cc (only its -c part, musl's
# headers, matters for an object).
$(APPS)/lua/%.o: $(APPS_FETCHED) $(MUSL_LIBC) tools/mica-cc.sh $(wildcard user/apps/lua/*.h) | $(MICA_CC)
	@mkdir -p $(dir $@)
	$(Q)$(MICA_CC) $(LUA_CFLAGS) -c $(LUA_SRC)/$*.c -o $@
$(APPS)/zlib/%.o: $(APPS_FETCHED) $(MUSL_LIBC) tools/mica-cc.sh | $(MICA_CC)
	@mkdir -p $(dir $@)
	$(Q)$(MICA_CC) $(ZLIB_CFLAGS) -c $(ZLIB_SRC)/$*.c -o $@

# Like the libc_ programs, none may contain musl code that executes the
# syscall instruction, except the names in $(2): Lua reaches __clone
# (os.execute and io.popen: system and popen through posix_spawn) and
# __restore_rt (sigaction, for its SIGINT handler); neither runs on Mica:
# posix_spawn and popen call pipe2 first, which fails (ENOSYS), and no
# signal is ever delivered (user/posix/signal.c).
define link_app
	@mkdir -p $(dir $@)
	$(Q)$(MICA_CC) -o $@ $(1)
	$(Q)if nm $@ | awk '{ print $$NF }' | grep -xFf $(MUSL_TOP)/musl/syscall-insn.txt | grep -vxF -e - $(addprefix -e ,$(2)); \
		then echo "$@: links musl code that executes the syscall instruction" >&2; rm -f $@; exit 1; fi
endef
$(BUILD)/user/lua.elf: $(LUA_OBJS) $(MICA_CC) $(MUSL_TOP)/musl/syscall-insn.txt
	$(call link_app,$(LUA_OBJS),__clone __restore_rt)
$(BUILD)/user/minigzip.elf: $(ZLIB_OBJS) $(MICA_CC) $(MUSL_TOP)/musl/syscall-insn.txt
	$(call link_app,$(ZLIB_OBJS),)
# Init (user/init, docs/init.md): Lua's core and libraries (not its
# standalone interpreter) with the L4 package, compiled with mica-cc.
INIT_SRCS := $(wildcard user/init/*.c)
INIT_OBJS := $(patsubst %,$(BUILD)/init-obj/%.o,$(INIT_SRCS))
$(BUILD)/init-obj/%.c.o: %.c $(APPS_FETCHED) $(MICA_CC) $(wildcard user/init/*.h)
	@mkdir -p $(dir $@)
	$(Q)$(MICA_CC) $(WARN) -D_GNU_SOURCE -O2 -g -Iinclude -Iuser/lib/include -I$(LUA_SRC) -Iuser/apps/lua -c $< -o $@
$(BUILD)/user/init.elf: $(INIT_OBJS) $(filter-out $(APPS)/lua/lua.o,$(LUA_OBJS)) $(MICA_CC) $(MUSL_TOP)/musl/syscall-insn.txt
	$(call link_app,$(INIT_OBJS) $(filter-out $(APPS)/lua/lua.o,$(LUA_OBJS)),__clone __restore_rt)
APP_PROGS := $(BUILD)/user/lua.elf $(BUILD)/user/minigzip.elf $(BUILD)/user/init.elf
libc: $(APP_PROGS)

-include $(POSIX_OBJS:.o=.d)

# ---- the virtual machine monitor and its Linux guest (docs/vmm.md) ----------
VMM_SRCS := $(wildcard user/vmm/*.c)
$(BUILD)/user/vmm.elf: $(VMM_SRCS) user/vmm/vmm.h $(MICA_CC) $(MUSL_TOP)/musl/syscall-insn.txt
	@mkdir -p $(dir $@)
	$(Q)$(MICA_CC) $(WARN) -D_GNU_SOURCE -O2 -g -Iinclude -Iuser/lib/include -o $@ $(VMM_SRCS)
	$(Q)if nm $@ | awk '{ print $$NF }' | grep -qxFf $(MUSL_TOP)/musl/syscall-insn.txt; then \
		echo "$@: links musl code that executes the syscall instruction" >&2; rm -f $@; exit 1; fi
libc: $(BUILD)/user/vmm.elf

# Debian's kernel and busybox-static, fetched by tools/deps.sh vm (never
# committed), and the initramfs the build writes with tools/mkcpio.c.
VM_GUEST := $(BUILD)/vm/bzImage $(BUILD)/vm/initrd
$(BUILD)/vm/bzImage $(BUILD)/vm/busybox: tools/deps.sh
	$(Q)BUILD=$(BUILD) sh tools/deps.sh vm
$(BUILD)/tools/mkcpio: tools/mkcpio.c
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(WARN) -O2 -o $@ $<
VM_APPLETS := sh mount echo uname cat head poweroff
$(BUILD)/vm/initrd: $(BUILD)/tools/mkcpio $(BUILD)/vm/busybox user/vmm/guest/init.sh
	$(Q)$(BUILD)/tools/mkcpio d:bin:755 f:bin/busybox:755:$(BUILD)/vm/busybox \
		$(foreach a,$(VM_APPLETS),l:bin/$(a):busybox) d:dev:755 c:dev/console:600:5:1 d:proc:755 \
		f:init:755:user/vmm/guest/init.sh >$@.tmp && mv $@.tmp $@
vm-guest: $(VM_GUEST)

# ---- ISO ------------------------------------------------------------------
iso: $(BUILD)/mica.iso
$(BUILD)/mica.iso: $(BUILD)/kernel.elf $(USER_ELFS) tools/mkiso.sh
	$(Q)sh tools/deps.sh iso
	$(Q)sh tools/mkiso.sh $(BUILD) $@
# The same image with the kernel in test mode, for tests/qemu.
$(BUILD)/mica-test.iso: $(BUILD)/kernel.elf $(USER_ELFS) tools/mkiso.sh
	$(Q)sh tools/mkiso.sh $(BUILD) $@ test

# ---- running --------------------------------------------------------------
run: all
	@sh tools/deps.sh run
	@sh tools/qemu.sh --accel $(ACCEL) --cpus $(CPUS) --mem $(MEM) $(if $(CPU),--cpu $(CPU)) \
		--kernel $(BUILD)/kernel.elf --module "$(BUILD)/user/sigma0.elf" --module "$(BUILD)/user/root.elf" \
		$(RUN_MODULES) --append "$(APPEND)"

# CONF selects what `make run` boots after the root task: a boot script
# (CONF=conf/NAME.lua, or CONF=NAME for conf/NAME.lua; default
# conf/default.lua) that init runs, with the modules its "-- modules:"
# line lists (docs/init.md); or pork (the X.2 personality's demo root
# server, docs/x2.md), which takes the keyboard itself.
CONF ?= default
CONF_FILE = $(if $(filter %.lua,$(CONF)),$(CONF),$(wildcard conf/$(CONF).lua))
CONF_MODULES = $(shell sed -n 's/^-- modules: //p' $(CONF_FILE))
RUN_MODULES = $(if $(CONF_FILE),--module "$(BUILD)/user/init.elf rom/$(notdir $(CONF_FILE))" --module $(CONF_FILE) \
	$(foreach m,$(CONF_MODULES),--module $(BUILD)/user/$(m).elf),$(RUN_MODULES_$(CONF)))
RUN_MODULES_pork := --module "$(BUILD)/user/pork.elf +icu +io=0x60:1 +io=0x64:1"

# The monitor booting Debian's Linux (conf/vm.lua), its console on the
# terminal; test-vm checks its markers and power-off (tests/vm.sh).
VM_MODULES = --module "$(BUILD)/user/init.elf rom/vm.lua" --module conf/vm.lua --module $(BUILD)/user/vmm.elf \
	--module $(BUILD)/vm/bzImage --module $(BUILD)/vm/initrd
run-vm: all $(VM_GUEST)
	@sh tools/deps.sh run
	@sh tools/qemu.sh --accel $(ACCEL) --cpus $(CPUS) --mem 512M --cpu qemu64,+svm,+npt \
		--kernel $(BUILD)/kernel.elf --module "$(BUILD)/user/sigma0.elf" --module "$(BUILD)/user/root.elf" \
		$(VM_MODULES) --append "$(APPEND)"
test-vm: all $(VM_GUEST)
	@sh tools/deps.sh run
	@sh tests/vm.sh $(BUILD)

gdb: all
	@sh tools/deps.sh run
	@sh tools/gdb.sh $(BUILD)

# ---- tests ----------------------------------------------------------------
$(BUILD)/tests/test_%: tests/unit/test_%.c $(KERNEL_SRCS) $(wildcard user/services/*/*.c) tests/unit/unit.h tests/common/fake_phys.h
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(HOST_CFLAGS) -o $@ $< $(filter kernel/%.c lib/%.c user/%.c,$(shell sed -n 's,^// links: ,,p' $<)) -lcmocka

unit: $(UNIT_BINS)

# libFuzzer harnesses (clang) for the parsers of untrusted input.
FUZZ_CFLAGS := $(WARN) -D_POSIX_C_SOURCE=200809L -O1 -g -fsanitize=fuzzer,address,undefined \
	-fno-sanitize-recover=all -Iinclude -Ikernel -Ikernel/arch/$(ARCH)/include -Ilib/include -MMD -MP
FUZZ_BINS := $(patsubst tests/fuzz/%.c,$(BUILD)/fuzz/%,$(wildcard tests/fuzz/fuzz_*.c))
$(BUILD)/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(KERNEL_SRCS) tests/fuzz/fuzz.h tests/common/fake_phys.h
	@mkdir -p $(dir $@)
	$(Q)clang $(FUZZ_CFLAGS) -o $@ $< $(filter kernel/%.c lib/%.c,$(shell sed -n 's,^// links: ,,p' $<))

$(BUILD)/fuzz/seeds: tests/fuzz/seeds.c tests/common/fake_phys.h
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(WARN) -O1 -o $@ $<

# make fuzz-host SECONDS=N: each harness for N seconds (SEED=S to repeat a run).
SECONDS ?= 60
SEED ?= 0
fuzz-host:
	@sh tools/deps.sh fuzz-host
	@$(MAKE) --no-print-directory $(FUZZ_BINS) $(BUILD)/fuzz/seeds user
	@sh tools/fuzz-host.sh $(BUILD) $(SECONDS) $(SEED)

# `make test` first makes sure the tools are there (installing them as
# root), then builds and runs everything.
test:
	@sh tools/deps.sh test
	@$(MAKE) --no-print-directory check

check: all unit iso $(BUILD)/mica-test.iso nofp $(VM_GUEST)
	@sh tests/run-all.sh $(BUILD) build-nofp

# The in-system suite: boots the ktest root task, prints its TAP lines.
ktest: all
	@sh tools/deps.sh test
	@ONLY='$(ONLY)' sh tests/ktest.sh $(BUILD) $(if $(filter command,$(origin CPUS)),$(CPUS),1)

# Benchmarks: guest instructions under TCG with -icount shift=0 (ACCEL=kvm:
# cycles, for real hardware). ITER= iterations per benchmark.
ITER ?= 10000
bench: all
	@sh tools/deps.sh run
	@sh tools/bench.sh $(BUILD) $(ACCEL) $(ITER) '$(ONLY)'

# The hostile-user fuzzer: ITER invocations from SEED (same pair, same run).
fuzz: all
	@sh tools/deps.sh run
	@sh tools/fuzz.sh $(BUILD) $(if $(filter command,$(origin ITER)),$(ITER),20000) $(if $(filter command,$(origin SEED)),$(SEED),1) \
		$(if $(filter command,$(origin CPUS)),$(CPUS),1)

# The protocol fuzzer: ITER random and mutated requests from SEED to the
# user-level servers (user/tests/svcfuzz).
fuzz-services: all
	@sh tools/deps.sh run
	@sh tools/fuzz-services.sh $(BUILD) $(if $(filter command,$(origin ITER)),$(ITER),5000) $(if $(filter command,$(origin SEED)),$(SEED),1)

# Machine-checked evidence (docs/assurance.md): Frama-C WP proofs of the
# contracts in the sources, and the SPIN model's exhaustive check.
prove: $(GEN)/version.h
	@sh tools/deps.sh prove
	@sh tools/prove.sh $(BUILD)
model:
	@sh tools/deps.sh model
	@sh tools/model.sh $(BUILD)

# Where one benchmark's kernel instructions go (a per-instruction trace;
# CPUS=N boots N CPUs, as the cross-CPU benchmarks need).
bench-trace: all
	@CPUS=$(if $(filter command,$(origin CPUS)),$(CPUS),1) python3 tools/bench-trace.py $(BUILD) '$(ONLY)' 200

# The same kernel and programs without the IPC fast path, for the suite.
# musl and the programs' objects first: the two builds share them.
nofp: $(MUSL_LIBC) $(LUA_OBJS) $(ZLIB_OBJS)
	@$(MAKE) --no-print-directory FASTPATH=0 BUILD=build-nofp all

# ---- tooling --------------------------------------------------------------
compile_commands.json: all unit
	@{ echo '['; cat $$(find $(BUILD) -name '*.o.json' | sort) | sed '$$ s/,$$//'; echo ']'; } > $@
	@echo "  wrote $@"

# cppcheck and clang-tidy (.clang-tidy) on kernel/, lib/ and user/.
lint: $(GEN)/version.h $(GEN)/libc_suite_cases.h
	@sh tools/deps.sh lint
	@sh tools/lint.sh $(BUILD)

# Architecture and platform code behind their hooks (tools/check-layout.sh).
check-layout:
	@sh tools/check-layout.sh kernel

# The source map in docs/architecture.md: every file with the first
# sentence of its header comment (tools/source-map.sh).
source-map:
	@sh tools/source-map.sh --update
check-source-map:
	@sh tools/source-map.sh --check

# New files too, before they are added.
FORMAT_SRCS = $(shell git ls-files --cached --others --exclude-standard '*.c' '*.h')
format:
	clang-format -i $(FORMAT_SRCS)
format-check:
	@clang-format --dry-run -Werror $(FORMAT_SRCS)

clean:
	rm -rf build build-nofp $(BUILD) compile_commands.json

-include $(shell find $(BUILD) -name '*.d' -type f 2>/dev/null)
