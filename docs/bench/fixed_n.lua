-- Runs the scenario named by BENCH_SCENARIO (lock_open, lock_join) for a fixed number of answers per wrk thread
-- (BENCH_N_PER_THREAD), then stops that thread (#19, branch edgecpu: counts over a fixed number of requests, not a
-- rate). The requests still in flight when a thread stops reach the app too, so edge_counts.sh counts the requests
-- the app served from the database, not from wrk.
local dir = os.getenv("BENCH_DIR") or "."
dofile(dir .. "/" .. (os.getenv("BENCH_SCENARIO") or "lock_open") .. ".lua")
local limit = tonumber(os.getenv("BENCH_N_PER_THREAD") or "5000")
local scenario_response = response
local answered = 0
function response(status, headers, body)
  scenario_response(status, headers, body)
  answered = answered + 1
  if answered >= limit then wrk.thread:stop() end
end
