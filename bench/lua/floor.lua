-- The HTTP floor: GET of BENCH_PATH as is, a route of the same server that touches no store (/api/v1/ping, or
-- /api/v1/me which only verifies the bearer token). See common.lua for the knobs.
package.path = (os.getenv("BENCH_LUA_DIR") or ".") .. "/?.lua;" .. package.path
local c = require("common")
setup = c.setup
done = c.done

function init(args)
  c.init_headers()
end

function request()
  return wrk.format("GET", c.path)
end
