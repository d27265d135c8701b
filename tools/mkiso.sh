#!/bin/sh
# Builds a GRUB2 (BIOS) bootable ISO of the kernel, sigma0, the root task
# and the demos;
# GRUB starts the kernel through Multiboot 2.
#   tools/mkiso.sh BUILD_DIR OUTPUT.iso [KERNEL-COMMAND-LINE]
set -eu
build=$1 out=$2 cmdline=${3:-}
root=$build/iso-root-$(basename "$out" .iso)
rm -rf "$root"
mkdir -p "$root/boot/grub"
cp "$build/kernel.elf" "$root/boot/kernel.elf"
cp "$build/user/sigma0.elf" "$root/boot/sigma0.elf"
for p in root hello pingpong; do cp "$build/user/$p.elf" "$root/boot/$p.elf"; done
cat > "$root/boot/grub/grub.cfg" <<CFG
set timeout=0
serial --unit=0 --speed=115200
terminal_output serial
terminal_input serial

menuentry "Mica" {
	multiboot2 /boot/kernel.elf $cmdline
	module2 /boot/sigma0.elf /boot/sigma0.elf
	module2 /boot/root.elf /boot/root.elf
	module2 /boot/hello.elf /boot/hello.elf
	module2 /boot/pingpong.elf /boot/pingpong.elf 100
	boot
}
CFG
if ! grub-mkrescue -o "$out" "$root" >"$root.log" 2>&1; then
	echo "mkiso: grub-mkrescue failed (it needs grub-pc-bin, xorriso and mtools):" >&2
	tail -5 "$root.log" >&2
	exit 1
fi
echo "  built $out"
