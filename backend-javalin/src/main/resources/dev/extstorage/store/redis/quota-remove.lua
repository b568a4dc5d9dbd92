local ver, header = current(KEYS[1])
if not holds(ARGV[2], ARGV[3], ver) then
  if ver == nil then return {'precondition'} end
  return {'precondition', ver}
end
local at = redis.call('PEXPIRETIME', KEYS[1])
if at == -2 then return 0 end
local cost = tonumber(ARGV[1]) + redis.call('STRLEN', KEYS[1]) - header
redis.call('DEL', KEYS[1])
if at >= 0 then
  change(KEYS[2], KEYS[3], second(at), -cost)
  change(KEYS[4], KEYS[5], second(at), -cost)
end
return 1
