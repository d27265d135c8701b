-- The kernel debugger's configuration (make run CONF=kdb): the default
-- demos without the serial driver, so that the kernel keeps reading the
-- console and its break key (Ctrl-\ first on a line) opens the
-- debugger (docs/debugger.md). The Lua prompt reads the console through
-- the kernel and runs until `exit`; the break key works at it too.
-- modules: hello pingpong kbd channel

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

-- The Lua prompt, left running: the console stays the kernel's.
L4.prompt()
