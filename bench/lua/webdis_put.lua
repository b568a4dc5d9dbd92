-- webdis: PUT /SETEX/<key>/{BENCH_TTL} over k1..kN with the value in the body (webdis takes a PUT body as the
-- command's last argument): put.lua's value text, new on every request, without auth, validation, versions,
-- quotas or change events. See common.lua for the knobs (BENCH_PATH /SETEX/webdis:).
package.path = (os.getenv("BENCH_LUA_DIR") or ".") .. "/?.lua;" .. package.path
local c = require("common")
setup = c.setup
done = c.done

local i = 0

function init(args)
  i = (id or 0) * 7919
end

function request()
  i = i + 1
  return wrk.format("PUT", c.path .. "k" .. ((i % c.keys) + 1) .. "/" .. c.ttl, nil, c.value(id or 0, i))
end
