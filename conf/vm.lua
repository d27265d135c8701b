-- A Linux virtual machine (make run-vm, docs/vmm.md): the monitor with
-- the guest's console on the Vcon, Debian's kernel and a busybox
-- initramfs from the ROM (the Makefile adds both to the boot image).
-- modules: vmm

local ld = L4.default_loader

-- Guest RAM (128 MiB) plus the monitor's own memory; the kernel quota
-- pays for the VM's nested page tables and the monitor's page tables.
local h = ld:start({ log = "vcon", mem_quota = 200 << 20, kernel_quota = 10 << 20 },
  "rom/vmm -m 128 /rom/bzImage /rom/initrd",
  -- console=ttyS0: the kernel's console on the emulated COM1;
  -- earlyprintk=serial: its messages before the console driver;
  -- acpi=off, noapic, nolapic, pci=off: no ACPI tables, APICs or PCI
  -- bus here (the PIC and PIT are the interrupt and timer hardware);
  -- nokaslr: the kernel stays where the loader put it;
  -- tsc=reliable: no clocksource watchdog (there is nothing to check the
  -- TSC against); lpj: no delay-loop calibration; panic=-1: a panic
  -- resets at once (the monitor then stops the guest).
  "console=ttyS0 earlyprintk=serial acpi=off noapic nolapic pci=off nokaslr tsc=reliable lpj=1000000 panic=-1")
print("vmm exited: " .. tostring(h:wait()))
