-- Scenario 2: teams of 3 filled by joins. An answer that opened a team leaves two places for the next requests
-- of the same thread, so about two requests in three are joins.
package.path = package.path .. ";" .. (os.getenv("BENCH_DIR") or ".") .. "/?.lua"
require "common"

local activity = os.getenv("BENCH_ACTIVITY") or "900001"
local notify = os.getenv("BENCH_NOTIFY_URL") or "http://127.0.0.1:8091/api/v1/test/group_buy_notify"

function init(args)
  init_common()
  open_places = {}
end

function request()
  local user, trade = next_ids()
  local team = ""
  local n = #open_places
  if n > 0 then
    local slot = open_places[n]
    team = slot.team
    slot.left = slot.left - 1
    if slot.left == 0 then table.remove(open_places) end
  end
  local body = string.format('{"userId":"%s","teamId":"%s","activityId":%s,"goodsId":"bench01","source":"s01","channel":"c01","outTradeNo":"%s","notifyConfigVO":{"notifyType":"HTTP","notifyUrl":"%s"}}',
    user, team, activity, trade, notify)
  return wrk.format("POST", "/api/v1/gbm/trade/lock_market_pay_order", {["Content-Type"] = "application/json"}, body)
end

function response(status, headers, body)
  check(status, body)
  local team = string.match(body, '"teamId":"(%w+)"')
  if team and string.find(body, '"code":"0000"', 1, true) and not seen_team(team) then
    table.insert(open_places, 1, {team = team, left = 2})
  end
end

-- Remembers the last few teams this thread saw, so a join's answer does not re-offer the team it joined.
local recent = {}
function seen_team(team)
  if recent[team] then return true end
  recent[team] = true
  return false
end
