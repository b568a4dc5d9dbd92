-- A batch of BENCH_BATCH_SIZE [100] keys per request (README "Batches"): POST on the tier (BENCH_PATH without its
-- trailing slash), {"op":"get","keys":[..]} or {"op":"set","entries":[..]} (BENCH_BATCH_OP get | set), keys
-- k1..kN in consecutive windows so no batch names a key twice; a set's values change on every request, as in
-- put.lua. report.py multiplies the requests by the batch size: per-key throughput. See common.lua.
package.path = (os.getenv("BENCH_LUA_DIR") or ".") .. "/?.lua;" .. package.path
local c = require("common")
setup = c.setup
done = c.done

local op = os.getenv("BENCH_BATCH_OP") or "get"
local size = tonumber(os.getenv("BENCH_BATCH_SIZE") or "100")
local path = string.gsub(c.path, "/$", "")
local i = 0
local tid = 0

function init(args)
  c.init_headers()
  wrk.headers["Content-Type"] = "application/json"
  tid = id or 0
  i = tid * 7919
end

function request()
  local parts = {}
  for j = 1, size do
    i = i + 1
    local key = "k" .. ((i % c.keys) + 1)
    if op == "get" then
      parts[j] = '"' .. key .. '"'
    elseif c.ttl ~= "" then
      parts[j] = string.format('{"key":"%s","value":{"t":%d,"n":%d,"note":"benchmark"},"ttl":%s}', key, tid, i, c.ttl)
    else
      parts[j] = string.format('{"key":"%s","value":{"t":%d,"n":%d,"note":"benchmark"}}', key, tid, i)
    end
  end
  local body
  if op == "get" then
    body = '{"op":"get","keys":[' .. table.concat(parts, ",") .. ']}'
  else
    body = '{"op":"set","entries":[' .. table.concat(parts, ",") .. ']}'
  end
  return wrk.format("POST", path, nil, body)
end
