-- Scenario 1: every request opens a new team.
package.path = package.path .. ";" .. (os.getenv("BENCH_DIR") or ".") .. "/?.lua"
require "common"

local activity = os.getenv("BENCH_ACTIVITY") or "900001"
local notify = os.getenv("BENCH_NOTIFY_URL") or "http://127.0.0.1:8091/api/v1/test/group_buy_notify"

function init(args)
  init_common()
end

function request()
  local user, trade = next_ids()
  local body = string.format('{"userId":"%s","teamId":"","activityId":%s,"goodsId":"bench01","source":"s01","channel":"c01","outTradeNo":"%s","notifyConfigVO":{"notifyType":"HTTP","notifyUrl":"%s"}}',
    user, activity, trade, notify)
  return wrk.format("POST", "/api/v1/gbm/trade/lock_market_pay_order", {["Content-Type"] = "application/json"}, body)
end

function response(status, headers, body)
  check(status, body)
end
