#!/usr/bin/env bash
# Which statements a team's settlements send, as the server logged them (issue 19, branch settletx):
#   bash docs/bench/settle_log.sh            (TEAMS=2 teams of 3 by default)
# A private MariaDB (port DBPORT, fresh data dir) with its general log written to a file, the app as in statements.sh
# (prod jar, dev profile, WARN, no schedulers, no refund consumer, private redis-server), TEAMS teams locked
# sequentially (unlogged), then the general log turned on only while their 3 × TEAMS settlements are sent, one at a
# time, and the completing ones' callbacks delivered. Writes every logged line (connection id, command, text) and a
# tally by statement kind to docs/bench/results/<date>-<commit>-settle-log.txt.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
TEAMS=${TEAMS:-2}
DBPORT=${DBPORT:-3396}
REDISPORT=${REDISPORT:-6396}
PORT=${PORT:-18096}
TAG=${TAG:-}
PREFIX="settlelog$$:"
URL="http://127.0.0.1:$PORT"
NOTIFY="$URL/api/v1/test/group_buy_notify"
OUT="$ROOT/docs/bench/results/$(date -u +%Y%m%d-%H%M)-$(git -C "$ROOT" rev-parse --short HEAD)-settle-log${TAG:+-$TAG}.txt"
WORK=$(mktemp -d /tmp/gbm-settle-log.XXXXXX)
mkdir -p "$ROOT/docs/bench/results"

. "$ROOT/docs/bench/lib.sh"
trap bench_cleanup EXIT
trap 'exit 1' INT TERM

say "# settle log $(date -u +%FT%TZ) commit $(git -C "$ROOT" rev-parse --short HEAD); teams=$TEAMS${JAR:+; jar $JAR}"
say_if_tree_differs

start_private_mariadb --general-log-file="$WORK/general.log" --general-log=0
sql -e "CREATE DATABASE gbm_log CHARACTER SET utf8mb4"
start_private_redis
build_jar
start_app "$WORK/app.log" 180 -Xms512m -Xmx512m -- --spring.data.redis.port="$REDISPORT" \
  --spring.datasource.url="$(jdbc_url "$DBPORT" gbm_log)" \
  --gbm.redis.key-prefix="$PREFIX" --logging.level.com.groupbuy.market=WARN --xxl.job.executor.enabled=false \
  --gbm.notify.local-scheduler-enabled=false --gbm.timeout.local-scheduler-enabled=false \
  --gbm.notify.retention.local-scheduler-enabled=false --gbm.mq.refund-consumer.enabled=false
seed_bench_goods gbm_log

post() { curl -s -o "$WORK/answer" "$URL$1" -H 'Content-Type: application/json' -d "$2"; }
ok() { grep -q '"code":"0000"' "$WORK/answer" || { echo "unexpected answer: $(cat "$WORK/answer")" >&2; exit 1; }; }
lock() { post /api/v1/gbm/trade/lock_market_pay_order "{\"userId\":\"$1\",\"teamId\":\"$2\",\"activityId\":900001,\"goodsId\":\"bench01\",\"source\":\"s01\",\"channel\":\"c01\",\"outTradeNo\":\"out-$1\",\"notifyConfigVO\":{\"notifyType\":\"HTTP\",\"notifyUrl\":\"$NOTIFY\"}}"; ok; }
settle() { post /api/v1/gbm/trade/settlement_market_pay_order "{\"source\":\"s01\",\"channel\":\"c01\",\"userId\":\"$1\",\"outTradeNo\":\"out-$1\",\"outTradeTime\":\"$(TZ=Asia/Shanghai date '+%F %T')\"}"; ok; }

for t in $(seq 1 "$TEAMS"); do
  lock "a$t" ""
  team=$(grep -o '"teamId":"[0-9]*"' "$WORK/answer" | cut -d'"' -f4)
  lock "b$t" "$team"
  lock "c$t" "$team"
done
sleep 2
sql -e "SET GLOBAL general_log = 1"
for t in $(seq 1 "$TEAMS"); do
  for who in a b c; do
    echo "-- settle $who$t" >>"$WORK/marks"
    settle "$who$t"
  done
done
sleep 2 # the completing settlements' deliveries after commit
sql -e "SET GLOBAL general_log = 0"

# The log's entries after its header, each folded to one line "<connection id> <command> <text>" (a statement's
# continuation lines joined to it), without this script's own client (its SET GLOBAL).
awk '
  function flush() { if (entry != "") print entry; entry = "" }
  NR <= 3 { next }
  /^([0-9]{6} [0-9:]{8})?\t+ *[0-9]+ [A-Z][a-z_]+/ {
    flush(); line = $0; sub(/^[0-9]{6} [0-9:]{8}/, "", line); sub(/^[\t ]+/, "", line)
    entry = line; next
  }
  { entry = entry " " $0 }
  END { flush() }' "$WORK/general.log" | tr -s ' \t' ' ' | grep -v -e 'general_log' -e ' Connect ' -e ' Quit' >"$WORK/lines" || true
say "# every logged entry (connection id, command, text):"
tee -a "$OUT" <"$WORK/lines"
say "# tally for $((3 * TEAMS)) settlements (Query entries by kind), and the connections they came on:"
awk '$2 == "Query" { k = toupper($3); if (k == "SET" || k == "INSERT") k = k " " toupper($4); n[k]++ } END { for (k in n) print n[k], k }' \
  "$WORK/lines" | sort -rn | tee -a "$OUT"
say "connections: $(awk '$2 == "Query" {print $1}' "$WORK/lines" | sort -u | tr '\n' ' ')"
say "# raw results in ${OUT#$ROOT/}"
