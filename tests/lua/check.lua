-- The Lua test script (docs/apps.md): run from /rom by the lua_ cases
-- (user/tests/ktest/lua_tests.c); each part prints one line whose values
-- Lua computes, and the case compares it with what Lua 5.4 prints on any
-- system. A failed assertion ends the script with a message and status 1.

-- strings: the string library, patterns, string.rep and byte/char
local s = "Mica microkernel"
local words = {}
for w in s:gmatch("%a+") do words[#words + 1] = w:upper() end
assert(s:find("micro", 1, true) == 6)
print("strings: " .. table.concat(words, "+") .. " " .. s:len() .. " " .. s:sub(-6) ..
  " " .. ("ab"):rep(3, "-") .. " " .. string.char(s:byte(1, 4)) ..
  " " .. (s:gsub("i", "!")))

-- tables: sort with a comparator, insert/remove, # and pairs, nesting
local t = {}
for i = 1, 100 do t[i] = (i * 37) % 101 end
table.sort(t, function(a, b) return a > b end)
table.insert(t, 1, 0)
local removed = table.remove(t)
local sum, keys = 0, 0
for _, v in ipairs(t) do sum = sum + v end
local map = { alpha = 1, beta = { gamma = 3 } }
for _ in pairs(map) do keys = keys + 1 end
print("tables: " .. #t .. " " .. t[2] .. " " .. removed .. " " .. sum .. " " .. keys ..
  " " .. map.beta.gamma .. " " .. table.concat({ table.unpack({ 1, 2, 3 }) }, ","))

-- coroutines: a generator, values both ways, status and wrap
local gen = coroutine.create(function(a)
  local b = coroutine.yield(a * 2)
  local c = coroutine.yield(a + b)
  return a + b + c
end)
local _, r1 = coroutine.resume(gen, 5)
local _, r2 = coroutine.resume(gen, 7)
local _, r3 = coroutine.resume(gen, 11)
local fib = coroutine.wrap(function()
  local a, b = 0, 1
  while true do coroutine.yield(a); a, b = b, a + b end
end)
local fibs = {}
for i = 1, 10 do fibs[i] = fib() end
print("coroutines: " .. r1 .. " " .. r2 .. " " .. r3 .. " " .. coroutine.status(gen) ..
  " " .. table.concat(fibs, " "))

-- string.format: integers, floats, strings, %q, padding and hex
print("format: " .. string.format("[%5d|%-5d|%05.1f|%e|%g|%x|%X|%o|%s|%10.3s|%q|%c|%%|%i]",
  42, -7, 3.14159, 12345.678, 0.0001, 255, 48879, 8, "mica", "kernel", "a\t\"b\"", 65, 2^53 // 1))

-- io on /tmp: write, append, read back by lines and numbers, seek, remove
local path = "/tmp/lua-check.txt"
local f = assert(io.open(path, "w"))
for i = 1, 50 do f:write(string.format("line %d %d\n", i, i * i)) end
assert(f:close())
f = assert(io.open(path, "a"))
f:write("last 3.5\n")
f:close()
f = assert(io.open(path, "r"))
local lines, squares = 0, 0
for l in f:lines() do
  lines = lines + 1
  local n, sq = l:match("^line (%d+) (%d+)$")
  if n then squares = squares + tonumber(sq) end
end
local size = f:seek("end")
f:seek("set", size - 4)
local tail = f:read("n")
f:close()
local ok, err = io.open("/tmp/no-such-dir/x", "r")
assert(ok == nil and err:find("No such file", 1, true))
assert(os.remove(path))
print("io: " .. lines .. " " .. squares .. " " .. size .. " " .. tail .. " " ..
  tostring(io.open(path) == nil))

-- everything else: integer/float arithmetic, errors caught, utf8, goto
local okc, msg = pcall(function() error({ code = 7 }) end)
local n = 0
for _, c in utf8.codes("µK€") do n = n + c end
print("misc: " .. 7 // 2 .. " " .. 7 / 2 .. " " .. math.maxinteger .. " " .. tostring(okc) ..
  " " .. msg.code .. " " .. n .. " " .. math.type(1) .. " " .. math.type(1.0) .. " " ..
  string.format("%.4f", math.sin(1)))
print("check.lua: done")
