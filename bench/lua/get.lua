-- GET of pre-populated keys, rotating k1..kN (each thread starts elsewhere). See common.lua for the knobs.
package.path = (os.getenv("BENCH_LUA_DIR") or ".") .. "/?.lua;" .. package.path
local c = require("common")
setup = c.setup
done = c.done

local i = 0

function init(args)
  c.init_headers()
  i = (id or 0) * 7919
end

function request()
  i = i + 1
  return wrk.format("GET", c.path .. "k" .. ((i % c.keys) + 1))
end
