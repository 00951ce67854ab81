#!/usr/bin/env bash
# Callback drain benchmark, HTTP and MQ in the same run:
#   bash docs/bench/drain.sh            (DRAIN_TASKS=100000 by default)
# Builds the prod jar, starts it on the dev profile against the local MariaDB, Redis and RabbitMQ (127.0.0.1:5672)
# in a database of its own (gbm_bench_drain, recreated), then for each channel writes DRAIN_TASKS due tasks and lets
# the compensation path (local scheduler every 1 s, gbm.notify.run-lanes lanes) deliver them:
#  - HTTP: POSTs to the app's own test receiver (as docs/bench/run.sh does);
#  - MQ: publishes with publisher confirms + mandatory on group_buy_market_exchange under a routing key of this run
#    only (bench.drain.<random>), received by the app's demo listener (a '#' binding), so no one else's queue gets
#    the flood. A task counts only once the broker confirmed it.
# Prints one RESULT line per channel (tasks/s, heap, CPU, load) and appends them to docs/bench/results/.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BENCH_DIR="$ROOT/docs/bench"
DRAIN_TASKS=${DRAIN_TASKS:-100000}
PORT=${PORT:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')}
DB=gbm_bench_drain
PREFIX="bench_drain:"
URL="http://127.0.0.1:$PORT"
KEY="bench.drain.$(head -c4 /dev/urandom | od -An -tx1 | tr -d ' \n')"
mkdir -p "$BENCH_DIR/results"
OUT="$BENCH_DIR/results/$(date -u +%Y%m%d-%H%M)-$(git -C "$ROOT" rev-parse --short HEAD)-drain.txt"
LOG=$(mktemp -d)/app.log

say() { echo "$*" | tee -a "$OUT"; }
sql() { mariadb -uroot -h127.0.0.1 -N -B "$@"; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
load() { awk '{print $1, $2, $3}' /proc/loadavg; }

say "# drain benchmark $(date -u +%FT%TZ) commit $(git -C "$ROOT" rev-parse --short HEAD), $(nproc) cores; rabbitmq $(rabbitmqctl version 2>/dev/null || echo '?')"
[ -z "$(git -C "$ROOT" status --porcelain --untracked-files=no)" ] || say "# working tree differs from the commit"
(cd "$ROOT" && mvn -q -B -o package -DskipTests -Pprod 2>/dev/null || mvn -q -B package -DskipTests -Pprod)
JAR="$ROOT/group-buy-market-app/target/group-buy-market-app.jar"
sql -e "DROP DATABASE IF EXISTS $DB; CREATE DATABASE $DB CHARACTER SET utf8mb4"

java -Xms1g -Xmx1g -XX:+UseG1GC -jar "$JAR" --spring.profiles.active=dev --server.port=$PORT \
  --spring.datasource.url="jdbc:mysql://127.0.0.1:3306/$DB?connectionTimeZone=UTC&forceConnectionTimeZoneToSession=true&useSSL=false&allowPublicKeyRetrieval=true&rewriteBatchedStatements=true" \
  --gbm.redis.key-prefix="$PREFIX" --logging.level.com.groupbuy.market=WARN --gbm.mq.demo-listener=true \
  --xxl.job.executor.enabled=false --gbm.notify.local-scheduler-delay=1s >"$LOG" 2>&1 &
APP=$!
trap 'kill $APP 2>/dev/null || true; sql -e "DROP DATABASE IF EXISTS $DB" || true' EXIT
for _ in $(seq 1 120); do curl -fs "$URL/actuator/health" >/dev/null 2>&1 && break; sleep 1; done
curl -fs "$URL/actuator/health" | grep -q '"mqChannel":{"status":"UP"' || { tail -50 "$LOG"; exit 1; }

live_heap() { jcmd $APP GC.run >/dev/null 2>&1; sleep 1; jcmd $APP GC.heap_info 2>/dev/null | awk '/garbage-first heap/{gsub("K","",$6); print int($6/1024)}'; }

drain() { # $1 channel, $2 notify_url or NULL, $3 notify_mq or NULL
  sql $DB -e "UPDATE notify_task SET notify_status = 1"
  sql $DB <<SQL
INSERT INTO notify_task (task_key, webhook_id, activity_id, team_id, source, channel, notify_category, notify_type,
  notify_mq, notify_url, notify_count, notify_status, parameter_json, next_attempt_time)
SELECT CONCAT('$1_', seq), CONCAT('$1-', seq), 900001, LPAD(seq MOD 100000000, 8, '0'), 's01', 'c01',
  'trade_settlement', '$1', $3, $2, 0, 0, CONCAT('{"teamId":"', LPAD(seq MOD 100000000, 8, '0'), '","outTradeNoList":["x"]}'),
  UTC_TIMESTAMP(3)
FROM seq_1_to_$DRAIN_TASKS;
SQL
  local heap_start heap_max=0 heap a0 a1 t0 t1 l0 left
  heap_start=$(live_heap)
  a0=$(cpu_ticks $APP); t0=$(date +%s.%N); l0=$(load)
  while :; do
    left=$(sql $DB -e "SELECT COUNT(*) FROM notify_task WHERE notify_status <> 1")
    heap=$(jcmd $APP GC.heap_info 2>/dev/null | awk '/garbage-first heap/{gsub("K","",$6); print int($6/1024)}')
    [ -n "$heap" ] && [ "$heap" -gt "$heap_max" ] && heap_max=$heap
    [ "$left" -eq 0 ] && break
    [ "$(echo "$(date +%s.%N) - $t0 > 900" | bc)" -eq 1 ] && { say "drain $1 timed out with $left left"; break; }
    sleep 1
  done
  t1=$(date +%s.%N); a1=$(cpu_ticks $APP)
  local failed
  failed=$(sql $DB -e "SELECT COUNT(*) FROM notify_attempt WHERE success = 0")
  say "notify_drain channel=$1 tasks=$DRAIN_TASKS seconds=$(echo "$t1-$t0" | bc -l | xargs printf '%.1f') per_s=$(echo "$DRAIN_TASKS/($t1-$t0)" | bc -l | xargs printf '%.0f') failed_attempts=$failed heap_used_max_mb=$heap_max live_heap_mb_before=$heap_start live_heap_mb_after=$(live_heap) app_cpu=$(echo "($a1-$a0)/$(getconf CLK_TCK)/($t1-$t0)*100" | bc -l | xargs printf '%.0f')% load_before=\"$l0\" load_after=\"$(load)\""
  sql $DB -e "DELETE FROM notify_attempt; DELETE FROM notify_task"
}

drain HTTP "'$URL/api/v1/test/group_buy_notify'" NULL
drain MQ NULL "'$KEY'"
say "# raw results in $OUT"
