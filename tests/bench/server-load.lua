-- wrk script for tests/bench/server-load.sh. Reads the shopper tokens from $LOYALTY_TOKENS
-- (one "<customerId> <token>" a line) and spreads requests over those customers.
-- mode "read": GET /v1/customer; mode "redeem": POST /v1/redemptions with a fresh
-- Idempotency-Key per request.
--
-- wrk shares the two cores with the server, so each request is one prepared string per customer
-- (built once in init) plus, for a redemption, its key: wrk.format per request cost wrk about a
-- fifth more CPU.
local tokens = {}
for line in io.lines(os.getenv("LOYALTY_TOKENS")) do
  local _, token = line:match("^(%S+) (%S+)$")
  if token then tokens[#tokens + 1] = token end
end
local mode = os.getenv("LOYALTY_MODE") or "read"
local body = '{"rewardId":"flex","points":100}'

local thread_count = 0
function setup(thread)
  thread_count = thread_count + 1
  thread:set("thread_id", thread_count)
end

local prepared = {}
function init()
  local key_prefix = string.format("bench-%d-%d-", os.time(), thread_id or 0)
  for i, token in ipairs(tokens) do
    if mode == "read" then
      prepared[i] = wrk.format("GET", "/v1/customer", { ["Authorization"] = "Bearer " .. token })
    else
      -- Everything up to the key's counter; request() appends the counter, the end and the body.
      prepared[i] = "POST /v1/redemptions HTTP/1.1\r\nHost: " .. wrk.host .. ":" .. wrk.port ..
        "\r\nAuthorization: Bearer " .. token .. "\r\nContent-Type: application/json\r\n" ..
        "Content-Length: " .. #body .. "\r\nIdempotency-Key: " .. key_prefix
    end
  end
end

local counter = 0
function request()
  counter = counter + 1
  local customer = (counter * 7919 + (thread_id or 0)) % #tokens + 1
  if mode == "read" then return prepared[customer] end
  return prepared[customer] .. counter .. "\r\n\r\n" .. body
end

-- No response() callback: wrk counts non-2xx answers itself, and a Lua call per response would
-- cost wrk (which shares the cores with the server) more CPU than the request itself.
function done(summary, latency, requests)
  io.write(string.format("non-2xx or socket errors: %d\n",
    summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write +
    summary.errors.timeout))
end
