#!/bin/sh
# The guest's /init (docs/vmm.md): prints the markers make test-vm looks for,
# runs a few commands, then powers the guest off.
mount -t proc proc /proc
echo "MICA-GUEST: init running"
uname -a
cat /proc/cpuinfo | head
echo "MICA-GUEST: done, powering off"
poweroff -f
