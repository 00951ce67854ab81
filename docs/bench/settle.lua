-- Scenario 3: settle orders locked beforehand (file of "userId outTradeNo" lines, grouped by team so teams
-- complete and callbacks fire). Each thread takes every n-th line; a thread stops when its share is used up.
package.path = package.path .. ";" .. (os.getenv("BENCH_DIR") or ".") .. "/?.lua"
require "common"

local orders_file = os.getenv("BENCH_ORDERS") or "orders.txt"
local nthreads = tonumber(os.getenv("BENCH_THREADS") or "2")

function init(args)
  init_common()
  mine = {}
  local i = 0
  for line in io.lines(orders_file) do
    if i % nthreads == tno - 1 then table.insert(mine, line) end
    i = i + 1
  end
  pos = 0
end

function request()
  pos = pos + 1
  if pos > #mine then
    wrk.thread:stop()
    pos = #mine
  end
  local user, trade = string.match(mine[pos] or " ", "(%S+)%s+(%S+)")
  local body = string.format('{"source":"s01","channel":"c01","userId":"%s","outTradeNo":"%s","outTradeTime":%d}',
    user or "", trade or "", os.time() * 1000)
  return wrk.format("POST", "/api/v1/gbm/trade/settlement_market_pay_order", {["Content-Type"] = "application/json"}, body)
end

function response(status, headers, body)
  check(status, body)
end
