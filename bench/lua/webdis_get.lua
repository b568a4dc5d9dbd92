-- webdis (Redis over HTTP, no auth, no checks): GET /GET/k{1..N} of pre-populated keys, rotating as get.lua
-- does, on the same Redis database our scale-out server uses. See common.lua for the knobs (BENCH_PATH /GET/).
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
  return wrk.format("GET", c.path .. "k" .. ((i % c.keys) + 1))
end
