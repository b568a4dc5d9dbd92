local ver, header = current(KEYS[1])
-- The entry holding this write's own version is this write run again (a retry): it still holds.
if ver ~= ARGV[7] and not holds(ARGV[8], ARGV[9], ver) then
  if ver == nil then return {'precondition'} end
  return {'precondition', ver}
end
local now = now()
forget(KEYS[2], KEYS[3], now, tonumber(ARGV[6]))
forget(KEYS[4], KEYS[5], now, tonumber(ARGV[6]))
local fixed = tonumber(ARGV[3])
local cost = fixed + string.len(ARGV[1])
-- -2: no entry; -1: an entry without expiry, never written (so never counted) by this script.
local oldAt = redis.call('PEXPIRETIME', KEYS[1])
local oldCost = 0
if oldAt >= 0 then oldCost = fixed + redis.call('STRLEN', KEYS[1]) - header end
local grow = cost - oldCost
if grow > 0 then
  local ns = total(KEYS[4]) + grow
  if ns > tonumber(ARGV[5]) then return {'namespace', int(ns)} end
  local ext = total(KEYS[2]) + grow
  if ext > tonumber(ARGV[4]) then return {'extension', int(ext)} end
end
local expiresAt = now + tonumber(ARGV[2])
redis.call('SET', KEYS[1], '#' .. ARGV[7] .. ARGV[1], 'PXAT', int(expiresAt))
if oldAt >= 0 then
  change(KEYS[2], KEYS[3], second(oldAt), -oldCost)
  change(KEYS[4], KEYS[5], second(oldAt), -oldCost)
end
local sec = second(expiresAt)
change(KEYS[2], KEYS[3], sec, cost)
change(KEYS[4], KEYS[5], sec, cost)
for i = 2, 5 do keepUntil(KEYS[i], sec * 1000) end
return {'ok'}
