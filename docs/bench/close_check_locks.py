"""Locks N unpaid orders in teams of 3 over HTTP (8 threads): the first of each team opens it, two join.
Usage: close_check_locks.py <port> <n>. Prints how many locks answered 0000."""
import json
import sys
import urllib.request
from concurrent.futures import ThreadPoolExecutor

port, n = int(sys.argv[1]), int(sys.argv[2])
url = f"http://127.0.0.1:{port}/api/v1/gbm/trade/lock_market_pay_order"
notify = f"http://127.0.0.1:{port}/api/v1/test/group_buy_notify"


def lock(user, team_id):
    body = json.dumps({"userId": user, "teamId": team_id, "activityId": 900001, "goodsId": "bench01",
                       "source": "s01", "channel": "c01", "outTradeNo": "o" + user, "notifyUrl": notify})
    request = urllib.request.Request(url, body.encode(), {"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as answer:
        return json.loads(answer.read())


def team(t):
    ok = 0
    first = lock(f"u{t}a", "")
    if first["code"] != "0000":
        return 0
    team_id = first["data"]["teamId"]
    ok += 1
    for suffix in "bc":
        if 3 * t + ok < n and lock(f"u{t}{suffix}", team_id)["code"] == "0000":
            ok += 1
    return ok


with ThreadPoolExecutor(8) as pool:
    print(sum(pool.map(team, range((n + 2) // 3))))
