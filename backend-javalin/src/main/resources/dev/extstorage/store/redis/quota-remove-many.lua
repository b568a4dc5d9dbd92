-- KEYS[1], KEYS[2] the extension's #usage and #expiries; KEYS[3], KEYS[4] the namespace's; KEYS[5..] the
-- entries. ARGV[i] the cost of entry i without its value. Answers, per entry, 1 if it was removed, else 0.
local out = {}
for i = 1, #KEYS - 4 do
  local key = KEYS[4 + i]
  local at = redis.call('PEXPIRETIME', key)
  if at == -2 then
    out[i] = 0
  else
    local _, header = current(key)
    local cost = tonumber(ARGV[i]) + redis.call('STRLEN', key) - header
    redis.call('DEL', key)
    if at >= 0 then
      change(KEYS[1], KEYS[2], second(at), -cost)
      change(KEYS[3], KEYS[4], second(at), -cost)
    end
    out[i] = 1
  end
end
return out
