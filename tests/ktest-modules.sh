# The boot modules the in-system suite's programs come from, after
# ktest.elf itself: one place for tests/ktest.sh and the QEMU cases
# (tests/qemu/cases.sh) that boot the suite. Sourced with BUILD set;
# sets KTEST_MODULES to QEMU wrapper arguments (quoted for eval), and
# KTEST_X2_MODULES for the x2_ cases alone.
KTEST_MODULES="--module $BUILD/user/progtest.elf --module $BUILD/user/exit0.elf \
--module '$BUILD/user/ldtest.elf rom-arg-1 rom-arg-2' --module $BUILD/user/badelf.elf \
--module $BUILD/user/libc_hello.elf --module $BUILD/user/libc_file.elf --module $BUILD/user/libc_suite.elf \
--module $BUILD/user/libc_zdata.elf --module $BUILD/user/minigzip.elf --module $BUILD/user/lua.elf \
--module tests/lua/check.lua --module $BUILD/user/init.elf --module $BUILD/user/channel.elf \
--module tests/init/cases.lua"
# The X.2 cases' own (the loader's program and bad modules): the kernel
# takes 16 modules (BOOT_MODULES_MAX), so the full list has no room for
# them; tests/ktest.sh boots these for ONLY=x2_..., and the QEMU case
# x2_load_suite too.
KTEST_X2_MODULES="--module $BUILD/user/badelf.elf --module tests/lua/check.lua --module $BUILD/user/x2hello.elf"
