-- Shared by the wrk scripts of scripts/bench. Configuration comes from the environment (wrk's Lua has os.getenv):
--   BENCH_TOKEN  bearer token (HS256 JWT); empty for routes without auth
--   BENCH_PATH   path up to and including the tier's slash, e.g. /api/v1/extensions/acme/notes/storage/ephemeral/
--   BENCH_KEYS   number of keys to rotate over (k1..kN), pre-populated by scripts/bench for GETs
--   BENCH_TTL    ttl for ephemeral PUT bodies; empty for persistent
-- done() prints ONE line of JSON that scripts/bench parses: latencies in microseconds, errors split by kind.
local M = {}

M.token = os.getenv("BENCH_TOKEN") or ""
M.path = os.getenv("BENCH_PATH") or "/"
M.keys = tonumber(os.getenv("BENCH_KEYS") or "1000")
M.ttl = os.getenv("BENCH_TTL") or ""

local threads = {}

function M.setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function M.init_headers()
  if M.token ~= "" then
    wrk.headers["Authorization"] = "Bearer " .. M.token
  end
end

-- The value a PUT stores: changes on every request (thread id + counter), as put.lua and webdis_put.lua send it.
function M.value(tid, i)
  return string.format('{"t":%d,"n":%d,"note":"benchmark"}', tid, i)
end

function M.done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests":%d,"duration_us":%d,"rps":%.1f,"p50_us":%d,"p99_us":%d,"max_us":%d,' ..
    '"errors_connect":%d,"errors_read":%d,"errors_write":%d,"errors_timeout":%d,"errors_status":%d}\n',
    summary.requests, summary.duration, summary.requests / (summary.duration / 1e6),
    latency:percentile(50), latency:percentile(99), latency.max,
    e.connect, e.read, e.write, e.timeout, e.status))
end

return M
