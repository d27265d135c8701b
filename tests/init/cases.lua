-- The init_ cases' boot script (user/tests/ktest/init_tests.c): init runs
-- it with a loader, the ICU, a name space ("ns") and COM1's ports; each
-- check prints "ok NAME" or "not ok NAME: why", and the C case of that
-- name looks for its line. Started as "rom/cases.lua runtime" (by itself,
-- in a second init) it fails on line 10 instead.
local ld = L4.default_loader
if arg[1] == "runtime" then
  local h = ld:start({}, "rom/ldtest status 5")
  print("runtime: started")
  ld:start({}, "rom/no-such-module")
  print("runtime: not reached")
end

local function check(name, f)
  local ok, err = pcall(f)
  if ok and err ~= false then
    print("ok " .. name)
  else
    print("not ok " .. name .. ": " .. tostring(err))
  end
end

local function expect(cond, what)
  if not cond then error(what, 2) end
end

local function errors_with(f, pattern)
  local ok, err = pcall(f)
  expect(not ok, "no error")
  expect(tostring(err):find(pattern, 1, true), "error was: " .. tostring(err))
end

check("env", function()
  for _, n in ipairs({ "factory", "mem", "rom", "loader", "icu", "ns" }) do
    expect(L4.Env[n], "no L4.Env." .. n)
  end
  expect(tostring(L4.Env.factory):find("factory"), tostring(L4.Env.factory))
end)

check("start_wait_status", function()
  local h = ld:start({}, "rom/ldtest status 42")
  local st, state = h:wait()
  expect(st == 42 and state == "exited", "got " .. tostring(st) .. " " .. tostring(state))
  expect(h:state() == "exited", "state")
end)

check("env_strings", function()
  -- ldtest env checks argv, envp and the auxiliary vector as the loader
  -- test passes them: here only that the strings arrive without harm
  local h = ld:start({ env = { "A=1", B = "two" } }, "rom/ldtest status 9")
  expect(h:wait() == 9, "status")
end)

check("args_reach_program", function()
  local h = ld:start({}, "rom/channel lookup", "rom/exit0")
  expect(h:wait() == 0, "lookup of rom/exit0 through the arguments")
end)

local chan = ld:new_channel()
check("channel_rights", function()
  local _, full = chan:info()
  local _, client = chan:m("rw"):info()
  local _, server = chan:svr():info()
  expect(full == 7 and client == 5 and server == 7, ("rights %d %d %d"):format(full, client, server))
  errors_with(function() chan:m("q") end, "unknown right")
end)

check("client_server_pair", function()
  local srv = ld:start({ caps = { chan = chan:svr() }, log = { "srv", "green" } }, "rom/channel server 4")
  local c1 = ld:start({ caps = { chan = chan:m("rw"):label(1) }, log = { "cl1", "red" } }, "rom/channel client 2")
  local c2 = ld:start({ caps = { chan = chan:m("rw"):label(2) }, log = { "cl2", "blue" } }, "rom/channel client 2")
  expect(c1:wait() == 0, "client 1")
  expect(c2:wait() == 0, "client 2")
  expect(srv:wait() == 0, "server")
end)

check("no_cap_no_reach", function()
  expect(ld:start({}, "rom/channel nocap"):wait() == 0, "nocap")
end)

check("svc_create", function()
  local ch = ld:new_channel()
  local srv = ld:start({ caps = { chan = ch:svr() } }, "rom/channel server 4")
  local svc = ch:m("rw")
  local s1 = svc:create(0x7001)
  local s2 = svc:create(0x7001)
  local a = ld:start({ caps = { chan = s1 }, log = { "sess1" } }, "rom/channel client 1")
  local b = ld:start({ caps = { chan = s2 }, log = { "sess2" } }, "rom/channel client 1")
  expect(a:wait() == 0 and b:wait() == 0, "sessions")
  expect(srv:wait() == 0, "server")
end)

check("svc_create_timeout", function()
  local ch = ld:new_channel()
  local saved = L4.timeout
  L4.timeout = 50
  errors_with(function() ch:create(0x7001) end, "TIMEOUT")
  L4.timeout = saved
end)

check("fifty_programs", function()
  local hs = {}
  for i = 1, 50 do
    hs[i] = ld:start({ kernel_quota = 128 * 1024, mem_quota = 1 << 20, log = "vcon" }, "rom/ldtest status " .. i)
  end
  local sum = 0
  for i = 1, 50 do sum = sum + hs[i]:wait() end
  expect(sum == 50 * 51 // 2, "sum " .. sum)
end)

check("kernel_quota", function()
  local kf = L4.Env.factory:create(L4.Proto.Factory, 64 * 1024)
  errors_with(function() ld:start({ factory = kf, kernel_quota = 128 * 1024 }, "rom/exit0") end, "NO_MEMORY")
  local _, used0 = kf:quota()
  expect(used0 == 0, "charged after a failed start: " .. used0)
end)

check("kernel_quota_returned", function()
  local kf = L4.Env.factory:create(L4.Proto.Factory, 256 * 1024)
  local h = ld:start({ factory = kf, kernel_quota = 200 * 1024 }, "rom/ldtest spin")
  local _, used = kf:quota()
  expect(used >= 200 * 1024, "charged " .. used)
  h:kill()
  local _, after = kf:quota()
  expect(after == 0, "after the kill " .. after)
  expect(ld:start({ factory = kf, kernel_quota = 200 * 1024 }, "rom/ldtest status 0"):wait() == 0, "exit")
  _, after = kf:quota()
  expect(after == 0, "after the exit " .. after)
end)

check("mem_quota", function()
  local a = L4.Env.mem:create(L4.Proto.Allocator, 256 * 1024)
  errors_with(function() ld:start({ mem = a, mem_quota = 1024 * 1024 }, "rom/exit0") end, "NO_MEMORY")
  local _, used = a:quota()
  expect(used == 0, "charged after a failed start: " .. used)
  a:delete()
end)

check("mem_quota_returned", function()
  local a = L4.Env.mem:create(L4.Proto.Allocator, 2 << 20)
  local h = ld:start({ mem = a, mem_quota = 1 << 20 }, "rom/ldtest spin")
  local _, used = a:quota()
  expect(used > 1 << 20, "charged " .. used)
  h:kill()
  local _, after = a:quota()
  expect(after == 0, "after the kill " .. after)
  local st = ld:start({ mem = a, mem_quota = 1 << 20 }, "rom/ldtest status 0"):wait()
  _, after = a:quota()
  -- the ended program's object stays charged until its handle goes
  expect(st == 0 and after == 4096, "after the exit " .. after)
  collectgarbage()
  _, after = a:quota()
  expect(after == 0, "after the handle went " .. after)
  a:delete()
end)

check("unknown_rom_name", function()
  errors_with(function() ld:start({}, "rom/no-such-module") end, "NOT_FOUND")
end)

check("pcall_goes_on", function()
  local ok = pcall(ld.start, ld, {}, "rom/no-such-module")
  expect(not ok, "started")
  expect(ld:start({}, "rom/exit0"):wait() == 0, "the next start")
end)

check("bad_cap_option", function()
  errors_with(function() ld:start({ caps = { x = 42 } }, "rom/exit0") end, "BAD_ARG")
  errors_with(function() ld:start({ caps = { x = "ns/none" } }, "rom/exit0") end, "NOT_FOUND")
  errors_with(function() ld:start({ factory = 5 }, "rom/exit0") end, "not a capability")
end)

check("kill_and_state", function()
  local h = ld:start({}, "rom/ldtest spin")
  expect(h:state() == "running", "state " .. h:state())
  h:kill()
  expect(h:state() == "killed", "state after kill")
end)

check("wait_timeout", function()
  local h = ld:start({}, "rom/ldtest spin")
  local st, why = h:wait(20)
  expect(st == nil and why == "timeout", "wait " .. tostring(st) .. " " .. tostring(why))
  h:kill()
end)

check("faulted", function()
  local st, state = ld:start({}, "rom/ldtest null"):wait()
  expect(st == 0x100 + 14 and state == "faulted", ("status 0x%x %s"):format(st, state))
end)

check("scheduler", function()
  local h = ld:start({ scheduler = { prio = 90, cpus = 1, ceiling = 90 } }, "rom/ldtest status 3")
  expect(h:wait() == 3, "prio 90")
  errors_with(function() ld:start({ scheduler = { prio = 256 } }, "rom/exit0") end, "scheduler")
  expect(ld:start({ scheduler = { prio = 100, ceiling = "none" } }, "rom/exit0"):wait() == 0, "no scheduler")
end)

check("ns_from_lua", function()
  local ns = L4.Env.ns
  ns:register("chan", chan:m("rw"))
  local got = ns:lookup("chan")
  expect(got:info() == "gate", "lookup type")
  local names = ns:list()
  expect(names[#names] == "chan", "list " .. table.concat(names, ","))
  errors_with(function() ns:register("chan", chan) end, "EXISTS")
  ns:unlink("chan")
  errors_with(function() ns:lookup("chan") end, "NOT_FOUND")
end)

check("path_from_env", function()
  local h = ld:start({ caps = { ns = L4.Env.ns } }, "rom/channel lookup ns/rom/exit0")
  expect(h:wait() == 0, "ns/rom/exit0")
  expect(ld:start({ caps = { ns = L4.Env.ns } }, "rom/channel lookup ns/nothing"):wait() == 17, "NOT_FOUND + 1")
  expect(L4.lookup("ns/rom/exit0"):info() == "gate", "L4.lookup")
end)

check("log_tag", function()
  expect(ld:start({ log = { "tagged", "red" } }, "rom/ldtest print 1"):wait() == 0, "print")
  errors_with(function() ld:start({ log = { "has space" } }, "rom/exit0") end, "log")
end)

check("io_ports", function()
  expect(ld:start({ io = { "0x3f8:8" } }, "rom/channel io 0x3ff"):wait() == 0, "with the ports")
  local st, state = ld:start({}, "rom/channel io 0x3ff"):wait()
  expect(state == "faulted", "without them: " .. tostring(state) .. " " .. tostring(st))
  errors_with(function() ld:start({ io = { "0x3f9:2" } }, "rom/exit0") end, "io")
end)

check("io_ports_any_range", function()
  -- ports anywhere in 0-0xffff, exactly the range given
  expect(ld:start({ io = { "0xc000:16" } }, "rom/channel io 0xc00f"):wait() == 0, "0xc00f in 0xc000:16")
  local _, state = ld:start({ io = { "0xc000:16" } }, "rom/channel io 0xc010"):wait()
  expect(state == "faulted", "0xc010 past it: " .. tostring(state))
  _, state = ld:start({ io = { "0xc000:16" } }, "rom/channel io 0xbfff"):wait()
  expect(state == "faulted", "0xbfff before it: " .. tostring(state))
  expect(ld:start({ io = { { 0xfff0, 16 } } }, "rom/channel io 0xffff"):wait() == 0, "the last port")
  expect(ld:start({ io = { "0x4000:1024" } }, "rom/channel io 0x43ff"):wait() == 0, "1024 ports")
  -- a range overlapping what init already holds (0xc000:16)
  expect(ld:start({ io = { "0xc000:64" } }, "rom/channel io 0xc03f"):wait() == 0, "0xc000:64")
  errors_with(function() ld:start({ io = { "0x10000:1" } }, "rom/exit0") end, "io: error BAD_ARG")
  errors_with(function() ld:start({ io = { "0:131072" } }, "rom/exit0") end, "io: error BAD_ARG")
end)

check("icu", function()
  expect(ld:start({ icu = L4.Env.icu }, "rom/channel icu"):wait() == 0, "with the ICU")
  expect(ld:start({}, "rom/channel icu"):wait() == 1, "without it")
end)

check("irq_lines", function()
  -- each line its own IRQ, bound and working, named irqN; nothing else
  expect(ld:start({ irqs = { 5, "20-21" } }, "rom/channel irq irq5 irq20 irq21"):wait() == 0, "irq5, irq20, irq21")
  expect(ld:start({ irqs = { 5 } }, "rom/channel irq irq5 irq6"):wait() == 1, "irq6 not given")
  expect(ld:start({ irqs = { 5 } }, "rom/channel icu"):wait() == 1, "lines without the ICU")
  -- a line is one program's while it runs, free again after
  local h = ld:start({ irqs = { 6 } }, "rom/ldtest spin")
  errors_with(function() ld:start({ irqs = { 6 } }, "rom/exit0") end, "irqs: error EXISTS")
  h:kill()
  expect(ld:start({ irqs = { 6 } }, "rom/channel irq irq6"):wait() == 0, "line 6 after the kill")
  errors_with(function() ld:start({ irqs = { "7-5" } }, "rom/exit0") end, "irqs: error BAD_ARG")
  errors_with(function() ld:start({ irqs = { "0-200" } }, "rom/exit0") end, "irqs: error BAD_ARG")
  errors_with(function() ld:start({ irqs = { 9999 } }, "rom/exit0") end, "irqs: error BAD_ARG")
end)

check("scheduler_cpu_set", function()
  local online = ld:start({}, "rom/channel cpus"):wait()
  expect(online >= 1, "the shared scheduler's set " .. online)
  expect(ld:start({ scheduler = { prio = 90, cpus = 1 } }, "rom/channel cpus"):wait() == 1, "set 1")
  expect(ld:start({ scheduler = { prio = 90, cpus = 1 } }, "rom/channel cpu 0"):wait() == 0, "CPU 0 in set 1")
  if online >= 3 then -- two CPUs or more
    expect(ld:start({ scheduler = { prio = 90, cpus = 2 } }, "rom/channel cpu 0"):wait() == 1 + 5, "CPU 0 not in set 2")
    expect(ld:start({ scheduler = { prio = 90, cpus = 2 } }, "rom/channel cpu 1"):wait() == 0, "CPU 1 in set 2")
    expect(ld:start({ scheduler = { prio = 90, cpus = 3, ceiling = 95 } }, "rom/channel cpus"):wait() == 3, "set 3")
  end
  errors_with(function() ld:start({ scheduler = { cpus = 2, cpu = 0 } }, "rom/exit0") end, "scheduler: error BAD_ARG")
end)

check("served_rights", function()
  -- a server's object (svc:create's) with fewer rights, minted by its server
  local a = L4.Env.mem:create(L4.Proto.Allocator, 256 * 1024)
  local ro, rw = a:m("r"), a:m("rw")
  expect(ro:quota() == 256 * 1024, "READ: quota")
  errors_with(function() ro:create(L4.Proto.Dataspace, 4096, 0) end, "NO_RIGHTS")
  errors_with(function() ro:delete() end, "NO_RIGHTS")
  errors_with(function() ro:m("rwc"):create(L4.Proto.Dataspace, 4096, 0) end, "NO_RIGHTS")
  local ds = rw:create(L4.Proto.Dataspace, 4096, 0)
  errors_with(function() rw:delete() end, "NO_RIGHTS")
  local _, used = a:quota()
  expect(used > 0, "charged")
  -- a name space with READ only: lookups, no registering
  local ns = L4.Env.mem:create(L4.Proto.Namespace)
  ns:register("ds", ds)
  local nro = ns:m("r")
  expect(nro:lookup("ds"):info() == "gate", "lookup through READ")
  errors_with(function() nro:register("x", ds) end, "NO_RIGHTS")
  errors_with(function() nro:unlink("ds") end, "NO_RIGHTS")
  -- a program given the READ-only one cannot delete the allocator
  expect(ld:start({ caps = { a = ro } }, "rom/channel delete a"):wait() == 1 + 3, "the program's delete")
  expect(ld:start({ caps = { a = a:m("rwc") } }, "rom/channel delete a"):wait() == 0, "CONTROL deletes")
  errors_with(function() rw:quota() end, "INVALID_CAP")
  ns:delete()
end)

-- A second init, running this script's first part: an error on its line 10
-- ends that script, and the program it started before still ends.
check("nested_init_runtime_error", function()
  local h = ld:start({ loader = L4.Env.loader, mem_quota = 8 << 20, kernel_quota = 1 << 20, log = { "init2" } },
    "rom/init rom/cases.lua runtime")
  expect(h:wait() == 1, "status")
end)

check("nested_init_missing_script", function()
  local h = ld:start({ loader = L4.Env.loader, mem_quota = 8 << 20, kernel_quota = 1 << 20, log = { "init3" } },
    "rom/init rom/none.lua")
  expect(h:wait() == 1, "status")
end)

print("cases.lua: done")
