local function int(n) return string.format('%d', n) end
local function second(ms) return math.ceil(ms / 1000) end
local function total(usage) return tonumber(redis.call('HGET', usage, 'total')) or 0 end
-- The entry's version and the length of its version header ('#' and 16 hex digits), or nil if absent.
local function current(key)
  local head = redis.call('GETRANGE', key, 0, 16)
  if head == '' and redis.call('EXISTS', key) == 0 then return nil, 0 end
  if string.sub(head, 1, 1) == '#' and string.len(head) == 17 then return string.sub(head, 2), 17 end
  return '0', 0
end
-- Whether the precondition holds: mode 'none' | 'absent' | 'present' | 'version' (then the versions,
-- separated by spaces, that satisfy it).
local function holds(mode, versions, ver)
  if mode == 'none' then return true end
  if mode == 'absent' then return ver == nil end
  if ver == nil then return false end
  if mode == 'present' then return true end
  for v in string.gmatch(versions, '%S+') do
    if v == ver then return true end
  end
  return false
end
local function addToTotal(usage, expiries, delta)
  if delta ~= 0 and redis.call('HINCRBY', usage, 'total', int(delta)) <= 0 then
    redis.call('DEL', usage, expiries)
  end
end
-- Adds delta to the bytes of one expiry second and to the total. A second never falls below zero, so
-- bytes that Redis dropped by itself (eviction) are not given back twice.
local function change(usage, expiries, sec, delta)
  local field = int(sec)
  local held = tonumber(redis.call('HGET', usage, field)) or 0
  if held + delta > 0 then
    redis.call('HSET', usage, field, int(held + delta))
    if held == 0 then redis.call('ZADD', expiries, field, field) end
  elseif held > 0 then
    delta = -held
    redis.call('HDEL', usage, field)
    redis.call('ZREM', expiries, field)
  else
    return
  end
  addToTotal(usage, expiries, delta)
end
-- Forgets the seconds that have passed (at most limit of them): every entry counted under second s expired
-- by s * 1000 ms.
local function forget(usage, expiries, now, limit)
  local passed = redis.call('ZRANGEBYSCORE', expiries, '-inf', int(math.floor((now - 1) / 1000)),
      'LIMIT', 0, limit)
  if #passed == 0 then return end
  local freed = 0
  for i = 1, #passed do freed = freed + (tonumber(redis.call('HGET', usage, passed[i])) or 0) end
  redis.call('HDEL', usage, unpack(passed))
  redis.call('ZREM', expiries, unpack(passed))
  addToTotal(usage, expiries, -freed)
end
local function keepUntil(key, ms)
  local at = redis.call('PEXPIRETIME', key)
  if at ~= -2 and at < ms then redis.call('PEXPIREAT', key, int(ms)) end
end
local function now()
  local clock = redis.call('TIME')
  return tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
end
