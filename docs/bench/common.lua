-- Shared by the wrk scripts: unique ids per thread, business-error counting, and a summary line per run.
-- Every request gets a user and out trade number no other request used, so nothing is answered idempotently.

local threads = {}
local thread_no = 0

function setup(thread)
  thread_no = thread_no + 1
  thread:set("tno", thread_no)
  thread:set("run", tostring(os.time() % 100000))
  table.insert(threads, thread)
end

function init_common()
  counter = 0
  errors = 0
  business = 0
  last_business = ""
end

function next_ids()
  counter = counter + 1
  local id = string.format("b%s%02d%07d", run, tno, counter)
  return id, id
end

function check(status, body)
  if status ~= 200 then
    errors = errors + 1
  elseif not string.find(body, '"code":"0000"', 1, true) then
    business = business + 1
    last_business = string.match(body, '"code":"(%w+)"') or "?"
  end
end

function done(summary, latency, requests)
  local errs, biz, codes = 0, 0, {}
  for _, t in ipairs(threads) do
    errs = errs + t:get("errors")
    biz = biz + t:get("business")
    local code = t:get("last_business")
    if code and code ~= "" then codes[code] = true end
  end
  local seen = {}
  for code in pairs(codes) do table.insert(seen, code) end
  local secs = summary.duration / 1e6
  -- The last business code of each thread: enough to tell which refusal the errors were.
  io.write(string.format("RESULT rps=%.1f p50_ms=%.2f p99_ms=%.2f requests=%d http_errors=%d business_errors=%d socket_errors=%d last_business_codes=%s\n",
    summary.requests / secs, latency:percentile(50) / 1000, latency:percentile(99) / 1000, summary.requests,
    errs + summary.errors.status, biz,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    #seen > 0 and table.concat(seen, ",") or "-"))
end
