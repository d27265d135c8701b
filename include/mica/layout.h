/* The address-space layout the kernel gives a boot task (the first boot
 * module). Tasks created later choose their own layout. */
#pragma once

#define MICA_USER_MIN 0x1000ul /* page 0 is never mapped */
/* The last user page stays unmapped too, so a syscall's return address is
 * always canonical and sysret never faults in ring 0. */
#define MICA_USER_END 0x00007ffffffff000ul

#define MICA_BOOT_KIP_ADDR 0x00007ffffff00000ul
#define MICA_BOOT_UTCB_ADDR 0x00007fffffe00000ul /* the UTCB area; the first thread's is first */
#define MICA_BOOT_UTCB_AREA_LOG2 16		 /* 64 KiB: room for 64 threads */
#define MICA_BOOT_STACK_TOP 0x00007ffffe000000ul
#define MICA_BOOT_STACK_SIZE (64ul * 1024)

/* On entry to a boot task: rdi = KIP address, rsi = UTCB address,
 * rsp = MICA_BOOT_STACK_TOP, GS base = UTCB address, other registers 0. */
