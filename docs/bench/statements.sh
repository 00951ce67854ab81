#!/usr/bin/env bash
# Statements per request, per endpoint, from the database's own counters (issue 19):
#   bash docs/bench/statements.sh            (N=300 requests per endpoint by default)
# The shared MariaDB on 3306 counts every engineer's statements, so this starts a private MariaDB (same binary, a
# fresh data dir, port 3399) for the app alone, sends N sequential requests per endpoint, and divides the deltas of
# SHOW GLOBAL STATUS by N. The app runs as in docs/bench/run.sh (prod jar, dev profile, WARN logging) with every
# local scheduler off and no refund consumer (on a shared broker it would consume other apps' refund events from the
# default queue and write their consumption records), so nothing but the requests talks to the database; an idle
# window is measured too and must read zero. Redis commands per request likewise (INFO commandstats, redis_<command>=
# calls per request; the snapshot's own INFO left out) from a private redis-server on REDISPORT: round trips are the
# EVALSHA/EVAL and plain commands; commandstats also counts the commands a script runs inside (HSET, HEXISTS, ...);
# redis_bytes_input/output: bytes the private Redis read and wrote per request (INFO stats).
# app_cpu_ms / db_cpu_ms: CPU of the app's and the private MariaDB's processes per request (utime + stime, 10 ms
# ticks), sequential requests after WARMUP locks: a cost figure, not a rate, but it includes the JIT compiling.
# Writes docs/bench/results/<date>-<commit>-statements.txt.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
N=${N:-300}
DBPORT=${DBPORT:-3399}
REDISPORT=${REDISPORT:-6398}
WARMUP=${WARMUP:-30}
PORT=${PORT:-18092}
PREFIX="stmt$$:"
CLEAN_REDIS_PREFIX=$PREFIX
URL="http://127.0.0.1:$PORT"
NOTIFY="$URL/api/v1/test/group_buy_notify"
OUT="$ROOT/docs/bench/results/$(date -u +%Y%m%d-%H%M)-$(git -C "$ROOT" rev-parse --short HEAD)-statements.txt"
WORK=$(mktemp -d /tmp/gbm-statements.XXXXXX)
mkdir -p "$ROOT/docs/bench/results"

. "$ROOT/docs/bench/lib.sh"
trap bench_cleanup EXIT
trap 'exit 1' INT TERM

say "# statements per request $(date -u +%FT%TZ) commit $(git -C "$ROOT" rev-parse --short HEAD); N=$N; load $(load)"
say_if_tree_differs

start_private_mariadb
sql -e "CREATE DATABASE gbm_stmt CHARACTER SET utf8mb4"
start_private_redis

build_jar
start_app "$WORK/app.log" 180 -Xms512m -Xmx512m -- --spring.data.redis.port="$REDISPORT" \
  --spring.datasource.url="$(jdbc_url "$DBPORT" gbm_stmt)" \
  --gbm.redis.key-prefix="$PREFIX" --logging.level.com.groupbuy.market=WARN --xxl.job.executor.enabled=false \
  --gbm.notify.local-scheduler-enabled=false --gbm.timeout.local-scheduler-enabled=false \
  --gbm.notify.retention.local-scheduler-enabled=false --gbm.mq.refund-consumer.enabled=false

seed_bench_goods gbm_stmt

COUNTERS="Questions Com_select Com_insert Com_update Com_update_multi Com_delete Com_commit Com_rollback Com_set_option Innodb_log_writes Innodb_data_fsyncs"
snapshot() {
  sql -e "SHOW GLOBAL STATUS" | awk -v want=" $COUNTERS " 'index(want, " " $1 " ") {print $1, $2}'
  redis-cli -p "$REDISPORT" INFO commandstats | tr -d '\r' | awk -F'[:=,]' '/^cmdstat_/ {sub("cmdstat_", "redis_", $1); print $1, $3}'
  # Bytes in and out of the private Redis; they include the two snapshots' own INFO replies (a few KB per window,
  # the idle line shows them), so per request they are an upper bound, close for N in the hundreds.
  redis-cli -p "$REDISPORT" INFO stats | tr -d '\r' | awk -F: '/^total_net_(input|output)_bytes:/ {sub("total_net_", "redis_bytes_", $1); print $1, $2}'
}
post() { curl -s -o "$WORK/answer" -w '%{http_code}' "$URL$1" -H 'Content-Type: application/json' -d "$2"; }
lock() { post /api/v1/gbm/trade/lock_market_pay_order "{\"userId\":\"$1\",\"teamId\":\"$2\",\"activityId\":900001,\"goodsId\":\"bench01\",\"source\":\"s01\",\"channel\":\"c01\",\"outTradeNo\":\"out-$1\",\"notifyConfigVO\":{\"notifyType\":\"HTTP\",\"notifyUrl\":\"$NOTIFY\"}}"; }
settle() { post /api/v1/gbm/trade/settlement_market_pay_order "{\"source\":\"s01\",\"channel\":\"c01\",\"userId\":\"$1\",\"outTradeNo\":\"out-$1\",\"outTradeTime\":\"$(TZ=Asia/Shanghai date '+%F %T')\"}"; }
refund() { post /api/v1/gbm/trade/refund_market_pay_order "{\"userId\":\"$1\",\"outTradeNo\":\"out-$1\",\"source\":\"s01\",\"channel\":\"c01\"}"; }
trial() { post /api/v1/gbm/index/query_group_buy_market_config "{\"userId\":\"$1\",\"source\":\"s01\",\"channel\":\"c01\",\"goodsId\":\"bench01\"}"; }
ok() { grep -q '"code":"0000"' "$WORK/answer" || { echo "unexpected answer: $(cat "$WORK/answer")" >&2; exit 1; }; }

# measure <name> <requests> <function that sends them>: counter deltas per request, minus the two snapshots' own SHOW (an idle window reads Questions=0).
measure() {
  local name=$1 requests=$2 before after
  before=$(snapshot); local t0; t0=$(date +%s.%N)
  local a0 d0; a0=$(cpu_ticks "$APP"); d0=$(cpu_ticks "$(mariadb_pid)")
  "$3"
  local a1 d1; a1=$(cpu_ticks "$APP"); d1=$(cpu_ticks "$(mariadb_pid)")
  local t1; t1=$(date +%s.%N)
  after=$(snapshot)
  local line
  # A Redis command first used in the window has no line before it; the snapshots' own INFO is left out.
  line=$( { echo "$before" | sed 's/^/b /'; echo "$after" | sed 's/^/a /'; } | awk -v n="$requests" '
    $1 == "b" { b[$2] = $3; next }
    { a[$2] = $3 }
    END {
      for (k in a) {
        if (k == "redis_info") continue
        d = a[k] - b[k]; if (k == "Questions") d -= 2
        if (k ~ /^redis_/ && d == 0) continue
        printf "%s %.2f\n", k, d / n
      }
    }' | sort | awk '{ printf " %s=%s", $1, $2 }')
  local hz; hz=$(getconf CLK_TCK)
  line="$line app_cpu_ms=$(echo "($a1 - $a0) * 1000 / $hz / $requests" | bc -l | xargs printf '%.3f')"
  line="$line db_cpu_ms=$(echo "($d1 - $d0) * 1000 / $hz / $requests" | bc -l | xargs printf '%.3f')"
  say "$name requests=$requests seconds=$(echo "$t1 - $t0" | bc | xargs printf '%.1f')$line load=\"$(load)\""
}

# Warm-up (JIT, pools, caches), not measured: a few teams opened, joined, settled.
for i in $(seq 1 "$WARMUP"); do lock "w$i" "" >/dev/null; done

idle() { sleep 5; }
trials() { for i in $(seq 1 "$N"); do trial "t$i" >/dev/null; ok; done; }
opens() { for i in $(seq 1 "$N"); do lock "a$i" "" >/dev/null; ok; grep -o '"teamId":"[0-9]*"' "$WORK/answer" | cut -d'"' -f4 >> "$WORK/teams"; done; }
joins() { local i=0; while read -r team; do i=$((i+1)); lock "b$i" "$team" >/dev/null; ok; lock "c$i" "$team" >/dev/null; ok; done < "$WORK/teams"; }
settles() { for i in $(seq 1 "$N"); do for who in a b c; do settle "$who$i" >/dev/null; ok; done; done; }
refunds() { for i in $(seq 1 "$N"); do refund "r$i" >/dev/null; ok; done; }
opens_for_refund() { for i in $(seq 1 "$N"); do lock "r$i" "" >/dev/null; ok; done; }

# PARTS="lock settle" leaves the trial and the refund out (on a loaded machine each sequential request takes up to a
# second); settle needs lock, whose teams it settles.
PARTS=${PARTS:-"trial lock settle refund"}
part() { [[ " $PARTS " == *" $1 "* ]]; }
measure idle_5s 1 idle
if part trial; then measure trial "$N" trials; fi
if part lock || part settle; then
  measure lock_open "$N" opens
  measure lock_join "$((2 * N))" joins
fi
sleep 2
if part settle; then measure settle "$((3 * N))" settles; fi
if part refund; then
  opens_for_refund
  measure refund_unpaid "$N" refunds
fi
say "# settle: per notice, two of three leave the team open and the third completes it, writes the callback task and delivers it after commit (claim, attempt, finish)"
say "# raw results in ${OUT#$ROOT/}"
