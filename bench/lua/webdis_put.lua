-- webdis: PUT /SETEX/k{1..N}/{BENCH_TTL} with the value in the body (webdis takes a PUT body as the command's
-- last argument), the same value text put.lua sends, changing on every request: the equivalent of our ephemeral
-- PUT with a TTL, without auth, validation, versions, quotas or change events. See common.lua for the knobs.
package.path = (os.getenv("BENCH_LUA_DIR") or ".") .. "/?.lua;" .. package.path
local c = require("common")
setup = c.setup
done = c.done

local i = 0
local tid = 0

function init(args)
  tid = id or 0
  i = tid * 7919
end

function request()
  i = i + 1
  local body = string.format('{"t":%d,"n":%d,"note":"benchmark"}', tid, i)
  return wrk.format("PUT", c.path .. "k" .. ((i % c.keys) + 1) .. "/" .. c.ttl, nil, body)
end
