#!/bin/sh
# Boots Mica halted at the first instruction with QEMU's gdb stub on
# localhost:1234 and attaches gdb with the kernel's symbols.
#   tools/gdb.sh BUILD_DIR
# In gdb: `continue` runs to kmain (a hardware breakpoint is set there);
# a user program's symbols come with `add-symbol-file BUILD/user/NAME.elf`
# (programs are linked at the addresses they run at, so no offset is needed).
set -eu
build=${1:-build}
if ! command -v gdb >/dev/null 2>&1; then
	echo "make gdb needs gdb: sudo apt-get install -y gdb" >&2
	exit 1
fi
sh tools/qemu.sh --gdb --kernel "$build/kernel.elf" --module "$build/user/sigma0.elf" --module "$build/user/hello.elf" >"$build/gdb-serial.log" 2>&1 &
qemu=$!
trap 'kill $qemu 2>/dev/null' EXIT INT TERM
echo "QEMU is halted at the reset vector; the serial console goes to $build/gdb-serial.log"
gdb -q "$build/kernel.elf" \
	-ex "set architecture i386:x86-64" \
	-ex "target remote localhost:1234" \
	-ex "hbreak kmain" \
	-ex "echo Mica: 'continue' runs to kmain; add-symbol-file $build/user/hello.elf for the first program.\n"
