-- What one counter holds now: its total and the bytes of the entry's old expiry second (nil: the entry is not
-- counted) and of its new one, 0 where the counter has none; one HMGET instead of a HGET per figure.
local function held(usage, oldSec, sec)
  local fields = {'total', int(sec)}
  if oldSec ~= nil and oldSec ~= sec then fields[3] = int(oldSec) end
  local v = redis.call('HMGET', usage, unpack(fields))
  local h = {total = tonumber(v[1]) or 0, new = tonumber(v[2]) or 0, old = 0}
  if oldSec == sec then h.old = h.new elseif oldSec ~= nil then h.old = tonumber(v[3]) or 0 end
  return h
end
-- Moves the entry's bytes in one counter from oldCost under oldSec (nil: not counted) to cost under sec, leaving
-- the counter exactly as change(oldSec, -oldCost) then change(sec, cost) would, h being what held() read.
-- The usual case (the old second holds at least the entry's bytes and the total stays above zero, so neither
-- step clamps nor deletes the counter) is done with one HSET (and a ZADD / HDEL, ZREM when a second starts or
-- ends); any other case by those two steps. Answers whether the counter keys still need keepUntil: not when
-- the new second was counted already, as every second a counter holds is within the expiry of both its keys
-- (each script that counts a second extends them to it, and only deleting them together removes a second).
local function move(usage, expiries, h, oldSec, oldCost, sec, cost)
  local total = h.total - oldCost + cost
  if oldSec == nil and total > 0 then
    redis.call('HSET', usage, int(sec), int(h.new + cost), 'total', int(total))
  elseif oldSec == sec and h.old >= oldCost and h.total - oldCost > 0 then
    -- (an old second falling to zero would be removed and added again with the same score: no change)
    redis.call('HSET', usage, int(sec), int(h.old - oldCost + cost), 'total', int(total))
    return false
  elseif oldSec ~= nil and h.old >= oldCost and h.total - oldCost > 0 then
    if h.old > oldCost then
      redis.call('HSET', usage, int(oldSec), int(h.old - oldCost), int(sec), int(h.new + cost), 'total', int(total))
    else
      redis.call('HDEL', usage, int(oldSec))
      redis.call('ZREM', expiries, int(oldSec))
      redis.call('HSET', usage, int(sec), int(h.new + cost), 'total', int(total))
    end
  else
    if oldSec ~= nil then change(usage, expiries, oldSec, -oldCost) end
    change(usage, expiries, sec, cost)
    return true
  end
  if h.new == 0 then
    redis.call('ZADD', expiries, int(sec), int(sec))
    return true
  end
  return false
end
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
local oldCost, oldSec = 0, nil
if oldAt >= 0 then
  oldCost = fixed + redis.call('STRLEN', KEYS[1]) - header
  oldSec = second(oldAt)
end
local expiresAt = now + tonumber(ARGV[2])
local sec = second(expiresAt)
local ext = held(KEYS[2], oldSec, sec)
local ns = held(KEYS[4], oldSec, sec)
local grow = cost - oldCost
if grow > 0 then
  if ns.total + grow > tonumber(ARGV[5]) then return {'namespace', int(ns.total + grow)} end
  if ext.total + grow > tonumber(ARGV[4]) then return {'extension', int(ext.total + grow)} end
end
redis.call('SET', KEYS[1], '#' .. ARGV[7] .. ARGV[1], 'PXAT', int(expiresAt))
if move(KEYS[2], KEYS[3], ext, oldSec, oldCost, sec, cost) then
  keepUntil(KEYS[2], sec * 1000)
  keepUntil(KEYS[3], sec * 1000)
end
if move(KEYS[4], KEYS[5], ns, oldSec, oldCost, sec, cost) then
  keepUntil(KEYS[4], sec * 1000)
  keepUntil(KEYS[5], sec * 1000)
end
return {'ok'}
