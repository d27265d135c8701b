-- The default boot script (make run): init runs it from the ROM and it
-- decides what runs with which capabilities (docs/init.md).
-- modules: hello pingpong serial kbd channel

local ld = L4.default_loader

-- The demos: no capabilities beyond the standard environment.
ld:start({}, "rom/hello from init")
ld:start({ log = { "pingpong", "cyan" } }, "rom/pingpong 1000")

-- The keyboard driver, with exactly the hardware it drives: its
-- interrupt line (ISA IRQ 1, as "irq1") and its I/O ports, above the
-- other programs.
ld:start({ irqs = { 1 }, io = { "0x60:1", "0x64:1" }, scheduler = { prio = 150 } }, "rom/kbd")

-- A client/server pair over a channel: the server receives on it, the
-- clients can only call, each through a capability with its own label.
local chan = ld:new_channel()
ld:start({ caps = { chan = chan:svr() }, log = { "server", "green" } }, "rom/channel server 4")
ld:start({ caps = { chan = chan:m("rw"):label(1) }, log = { "client1", "yellow" } }, "rom/channel client 2")
ld:start({ caps = { chan = chan:m("rw"):label(2) }, log = { "client2", "magenta" } }, "rom/channel client 2")

-- The Lua prompt on the console: start programs, look at handles; `exit`
-- ends it.
L4.prompt()

-- Then the serial driver (COM1: its line, ISA IRQ 4, and ports), which takes the
-- console's input line from then on.
ld:start({ irqs = { 4 }, io = { "0x3f8:8" }, scheduler = { prio = 150 }, log = "vcon" },
  "rom/serial")
