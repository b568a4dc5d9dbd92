-- KEYS[1], KEYS[2] the extension's #usage and #expiries; KEYS[3], KEYS[4] the namespace's; KEYS[5..] the
-- entries. ARGV[1] the extension's bound, ARGV[2] the namespace's, ARGV[3] FORGET_PER_WRITE; then six per
-- entry: the value, the TTL in ms, the cost without the value, the new version, the precondition's mode and
-- versions. All or nothing: every precondition and the batch's growth are checked before anything changes.
local n = #KEYS - 4
local function arg(i, j) return ARGV[3 + (i - 1) * 6 + j] end
local oldAts, oldCosts = {}, {}
local grow = 0
for i = 1, n do
  local key = KEYS[4 + i]
  local ver, header = current(key)
  -- an entry holding this write's own version is the batch run again (a retry): it still holds
  if ver ~= arg(i, 4) and not holds(arg(i, 5), arg(i, 6), ver) then
    if ver == nil then return {'precondition', int(i)} end
    return {'precondition', int(i), ver}
  end
  local fixed = tonumber(arg(i, 3))
  -- -2: no entry; -1: an entry without expiry, never written (so never counted) by these scripts.
  oldAts[i] = redis.call('PEXPIRETIME', key)
  oldCosts[i] = 0
  if oldAts[i] >= 0 then oldCosts[i] = fixed + redis.call('STRLEN', key) - header end
  grow = grow + fixed + string.len(arg(i, 1)) - oldCosts[i]
end
local at = now()
local limit = tonumber(ARGV[3])
forget(KEYS[1], KEYS[2], at, limit)
forget(KEYS[3], KEYS[4], at, limit)
if grow > 0 then
  local ns = total(KEYS[3]) + grow
  if ns > tonumber(ARGV[2]) then return {'namespace', int(ns)} end
  local ext = total(KEYS[1]) + grow
  if ext > tonumber(ARGV[1]) then return {'extension', int(ext)} end
end
local last = 0
for i = 1, n do
  local key = KEYS[4 + i]
  local expiresAt = at + tonumber(arg(i, 2))
  redis.call('SET', key, '#' .. arg(i, 4) .. arg(i, 1), 'PXAT', int(expiresAt))
  if oldAts[i] >= 0 then
    change(KEYS[1], KEYS[2], second(oldAts[i]), -oldCosts[i])
    change(KEYS[3], KEYS[4], second(oldAts[i]), -oldCosts[i])
  end
  local sec = second(expiresAt)
  local cost = tonumber(arg(i, 3)) + string.len(arg(i, 1))
  change(KEYS[1], KEYS[2], sec, cost)
  change(KEYS[3], KEYS[4], sec, cost)
  if sec > last then last = sec end
end
for i = 1, 4 do keepUntil(KEYS[i], last * 1000) end
return {'ok'}
