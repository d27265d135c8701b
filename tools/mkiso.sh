#!/bin/sh
# Builds a GRUB2 (BIOS) bootable ISO of the kernel, sigma0 and hello;
# GRUB starts the kernel through Multiboot 2.
#   tools/mkiso.sh BUILD_DIR OUTPUT.iso [KERNEL-COMMAND-LINE]
set -eu
build=$1 out=$2 cmdline=${3:-}
root=$build/iso-root-$(basename "$out" .iso)
rm -rf "$root"
mkdir -p "$root/boot/grub"
cp "$build/kernel.elf" "$root/boot/kernel.elf"
cp "$build/user/sigma0.elf" "$root/boot/sigma0.elf"
cp "$build/user/hello.elf" "$root/boot/hello.elf"
cat > "$root/boot/grub/grub.cfg" <<CFG
set timeout=0
serial --unit=0 --speed=115200
terminal_output serial
terminal_input serial

menuentry "Mica" {
	multiboot2 /boot/kernel.elf $cmdline
	module2 /boot/sigma0.elf /boot/sigma0.elf
	module2 /boot/hello.elf /boot/hello.elf
	boot
}
CFG
if ! grub-mkrescue -o "$out" "$root" >"$root.log" 2>&1; then
	echo "mkiso: grub-mkrescue failed (it needs grub-pc-bin, xorriso and mtools):" >&2
	tail -5 "$root.log" >&2
	exit 1
fi
echo "  built $out"
