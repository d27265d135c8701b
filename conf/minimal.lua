-- A small boot script (make run CONF=conf/minimal.lua): a program with
-- its own kernel and memory quotas, a client/server pair, and the exit
-- statuses collected; the system ends when they all have.
-- modules: hello channel

local ld = L4.default_loader

local kf = L4.Env.factory:create(L4.Proto.Factory, 1024 * 1024)
local h = ld:start({ factory = kf, mem = L4.Env.mem:create(L4.Proto.Allocator, 8 << 20) },
  "rom/hello with its own quotas")
print("minimal: hello exited with " .. h:wait())

local chan = ld:new_channel()
local srv = ld:start({ caps = { chan = chan:svr() } }, "rom/channel server 3")
local c = ld:start({ caps = { chan = chan:m("rw"):label(7) } }, "rom/channel client 3")
print("minimal: client " .. c:wait() .. ", server " .. srv:wait())

-- A script error is caught and reported with its line.
local ok, err = pcall(ld.start, ld, {}, "rom/no-such-program")
print("minimal: " .. tostring(ok) .. " " .. err)
