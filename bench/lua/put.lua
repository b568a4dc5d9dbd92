-- PUT rotating k1..kN with a value that changes on EVERY request (thread id + counter): SQLite skips writing a
-- row whose value did not change, and a constant value would measure nothing. See common.lua for the knobs.
package.path = (os.getenv("BENCH_LUA_DIR") or ".") .. "/?.lua;" .. package.path
local c = require("common")
setup = c.setup
done = c.done

local i = 0
local tid = 0

function init(args)
  c.init_headers()
  wrk.headers["Content-Type"] = "application/json"
  tid = id or 0
  i = tid * 7919
end

function request()
  i = i + 1
  local body
  if c.ttl ~= "" then
    body = '{"value":' .. c.value(tid, i) .. ',"ttl":' .. c.ttl .. '}'
  else
    body = '{"value":' .. c.value(tid, i) .. '}'
  end
  return wrk.format("PUT", c.path .. "k" .. ((i % c.keys) + 1), nil, body)
end
