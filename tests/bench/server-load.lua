-- wrk script for tests/bench/server-load.sh. Reads the shopper tokens from $LOYALTY_TOKENS
-- (one "<customerId> <token>" a line) and spreads requests over those customers.
-- mode "read": GET /v1/customer; mode "redeem": POST /v1/redemptions with a fresh
-- Idempotency-Key per request.
local tokens = {}
for line in io.lines(os.getenv("LOYALTY_TOKENS")) do
  local _, token = line:match("^(%S+) (%S+)$")
  if token then tokens[#tokens + 1] = token end
end
local mode = os.getenv("LOYALTY_MODE") or "read"

local thread_count = 0
function setup(thread)
  thread_count = thread_count + 1
  thread:set("thread_id", thread_count)
end

local counter = 0
function request()
  counter = counter + 1
  local token = tokens[(counter * 7919 + (thread_id or 0)) % #tokens + 1]
  local headers = { ["Authorization"] = "Bearer " .. token }
  if mode == "read" then
    return wrk.format("GET", "/v1/customer", headers)
  end
  headers["Content-Type"] = "application/json"
  headers["Idempotency-Key"] = string.format("bench-%d-%d-%d", os.time(), thread_id or 0, counter)
  return wrk.format("POST", "/v1/redemptions", headers, '{"rewardId":"flex","points":100}')
end

-- No response() callback: wrk counts non-2xx answers itself, and a Lua call per response would
-- cost wrk (which shares the cores with the server) more CPU than the request itself.
function done(summary, latency, requests)
  io.write(string.format("non-2xx or socket errors: %d\n",
    summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write +
    summary.errors.timeout))
end
