-- The init_start_wait benchmark (docs/benchmarks.md): init runs this
-- script with the number of samples as its argument; each sample is
-- L4.default_loader:start of exit0 from the script, :wait() for its exit
-- status and :kill() of the ended program's object (as prog_start_exit
-- deletes it). Under -icount every TSC tick is one guest instruction.
-- Init's output goes to the Vcon, so the result line is the bench's own.
local n = tonumber(arg[1]) or 300
local ld = L4.default_loader
local cycles = L4.cycles

local overhead = math.huge
for _ = 1, 100 do
  local t0 = cycles()
  local d = cycles() - t0
  if d < overhead then overhead = d end
end

local samples = {}
for i = 1, 10 + n do
  local t0 = cycles()
  local h = ld:start({}, "rom/exit0")
  local status = h:wait()
  h:kill()
  local t1 = cycles()
  assert(status == 0, "exit0 ended with " .. tostring(status))
  if i > 10 then samples[#samples + 1] = math.max(t1 - t0 - overhead, 0) end
end

table.sort(samples)
local sum = 0
for _, s in ipairs(samples) do sum = sum + s end
local mean = sum // n
local sq = 0
for _, s in ipairs(samples) do sq = sq + (s - mean) * (s - mean) end
print(("bench: init_start_wait median=%d min=%d mean=%d stddev=%d p99=%d n=%d unit=instructions"):format(
  samples[n // 2 + 1], samples[1], mean, math.floor(math.sqrt(sq // n)), samples[(n * 99) // 100 + 1], n))
