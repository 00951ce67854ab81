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
URL="http://127.0.0.1:$PORT"
NOTIFY="$URL/api/v1/test/group_buy_notify"
OUT="$ROOT/docs/bench/results/$(date -u +%Y%m%d-%H%M)-$(git -C "$ROOT" rev-parse --short HEAD)-statements.txt"
WORK=$(mktemp -d /tmp/gbm-statements.XXXXXX)
mkdir -p "$ROOT/docs/bench/results"

say() { echo "$*" | tee -a "$OUT"; }
sql() { mariadb -uroot -h127.0.0.1 -P"$DBPORT" --protocol=TCP -N -B "$@"; }
cleanup() {
  [ -n "${APP:-}" ] && kill "$APP" 2>/dev/null || true
  [ -f "$WORK/mariadb.pid" ] && kill "$(cat "$WORK/mariadb.pid")" 2>/dev/null || true
  [ -n "${REDIS:-}" ] && kill "$REDIS" 2>/dev/null || true
  sleep 2
  redis-cli --scan --pattern "${PREFIX}*" | xargs -r -n 500 redis-cli del >/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

say "# statements per request $(date -u +%FT%TZ) commit $(git -C "$ROOT" rev-parse --short HEAD); N=$N; load $(cut -d' ' -f1-3 /proc/loadavg)"
[ -z "$(git -C "$ROOT" status --porcelain --untracked-files=no)" ] || say "# working tree differs from the commit"

mariadb-install-db --no-defaults --user="$(id -un)" --datadir="$WORK/data" --auth-root-authentication-method=normal \
  >/dev/null 2>&1
/usr/sbin/mariadbd --no-defaults --user="$(id -un)" --datadir="$WORK/data" --port="$DBPORT" --bind-address=127.0.0.1 \
  --socket="$WORK/mariadb.sock" --pid-file="$WORK/mariadb.pid" --skip-log-bin >"$WORK/mariadb.log" 2>&1 &
for _ in $(seq 1 60); do sql -e 'SELECT 1' >/dev/null 2>&1 && break; sleep 1; done
sql -e "CREATE DATABASE gbm_stmt CHARACTER SET utf8mb4"
redis-server --port "$REDISPORT" --bind 127.0.0.1 --save '' --appendonly no --dir "$WORK" >"$WORK/redis.log" 2>&1 &
REDIS=$!
for _ in $(seq 1 30); do redis-cli -p "$REDISPORT" ping >/dev/null 2>&1 && break; sleep 0.2; done

# BUILD=0 JAR=...: a jar built (and copied) before, so builds and tests in this tree may go on meanwhile.
if [ "${BUILD:-1}" = 1 ]; then
  (cd "$ROOT" && mvn -q -B -o package -DskipTests -Pprod 2>/dev/null || mvn -q -B package -DskipTests -Pprod)
fi
JAR=${JAR:-"$ROOT/group-buy-market-app/target/group-buy-market-app.jar"}
java -Xms512m -Xmx512m -jar "$JAR" --spring.profiles.active=dev \
  --server.port=$PORT --spring.data.redis.port="$REDISPORT" \
  --spring.datasource.url="jdbc:mysql://127.0.0.1:$DBPORT/gbm_stmt?connectionTimeZone=UTC&forceConnectionTimeZoneToSession=true&useSSL=false&allowPublicKeyRetrieval=true&rewriteBatchedStatements=true" \
  --gbm.redis.key-prefix="$PREFIX" --logging.level.com.groupbuy.market=WARN --xxl.job.executor.enabled=false \
  --gbm.notify.local-scheduler-enabled=false --gbm.timeout.local-scheduler-enabled=false \
  --gbm.notify.retention.local-scheduler-enabled=false --gbm.mq.refund-consumer.enabled=false >"$WORK/app.log" 2>&1 &
APP=$!
for _ in $(seq 1 180); do curl -fs "$URL/actuator/health" >/dev/null 2>&1 && break; sleep 1; done
curl -fs "$URL/actuator/health" >/dev/null || { tail -50 "$WORK/app.log"; exit 1; }

sql gbm_stmt <<'SQL'
INSERT INTO group_buy_discount (discount_id, discount_name, discount_type, market_plan, market_expr)
VALUES ('bench01', 'bench 20 off', 0, 'ZJ', '20');
INSERT INTO sku (source, channel, goods_id, goods_name, original_price) VALUES ('s01', 'c01', 'bench01', 'bench goods', 100.00);
INSERT INTO group_buy_activity (activity_id, activity_name, discount_id, group_type, take_limit_count, target, valid_time,
  status, start_time, end_time) VALUES (900001, 'bench', 'bench01', 0, 1, 3, 600, 1,
  UTC_TIMESTAMP(3) - INTERVAL 1 HOUR, UTC_TIMESTAMP(3) + INTERVAL 1 YEAR);
INSERT INTO sc_sku_activity (source, channel, goods_id, activity_id) VALUES ('s01', 'c01', 'bench01', 900001);
SQL

COUNTERS="Questions Com_select Com_insert Com_update Com_delete Com_commit Com_rollback Com_set_option"
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
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
ok() { grep -q '"code":"0000"' "$WORK/answer" || { echo "unexpected answer: $(cat "$WORK/answer")" >&2; exit 1; }; }

# measure <name> <requests> <function that sends them>: counter deltas per request, minus the two snapshots' own SHOW (an idle window reads Questions=0).
measure() {
  local name=$1 requests=$2 before after
  before=$(snapshot); local t0; t0=$(date +%s.%N)
  local a0 d0; a0=$(ticks "$APP"); d0=$(ticks "$(cat "$WORK/mariadb.pid")")
  "$3"
  local a1 d1; a1=$(ticks "$APP"); d1=$(ticks "$(cat "$WORK/mariadb.pid")")
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
  say "$name requests=$requests seconds=$(echo "$t1 - $t0" | bc | xargs printf '%.1f')$line load=\"$(cut -d' ' -f1-3 /proc/loadavg)\""
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

measure idle_5s 1 idle
measure trial "$N" trials
measure lock_open "$N" opens
measure lock_join "$((2 * N))" joins
sleep 2
measure settle "$((3 * N))" settles
opens_for_refund
measure refund_unpaid "$N" refunds
say "# settle: per notice, two of three leave the team open and the third completes it, writes the callback task and delivers it after commit (claim, attempt, finish)"
say "# raw results in ${OUT#$ROOT/}"
