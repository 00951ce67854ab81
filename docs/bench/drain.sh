#!/usr/bin/env bash
# Callback drain benchmark, HTTP and MQ in the same run:
#   bash docs/bench/drain.sh            (DRAIN_TASKS=100000 per channel by default)
# Builds the prod jar, starts it on the dev profile against the local MariaDB, Redis and RabbitMQ (127.0.0.1:5672)
# in a database of this run's own (created, dropped at the end), then for each channel writes DRAIN_TASKS tasks, makes
# them all due at once and lets the compensation path (local scheduler every 1 s, gbm.notify.run-lanes lanes) deliver
# them:
#  - HTTP: POSTs to a partner's receiver in a process of its own (docs/bench/NotifyReceiver.java, as run.sh does;
#    DRAIN_RECEIVER=app: the app's own test receiver, as before #19's settlepath);
#  - MQ: publishes with publisher confirms + mandatory on group_buy_market_exchange under a routing key of this run
#    only (bench.drain.<random>), received by a mall in a process of its own (docs/bench/DrainMall.java: a durable
#    queue bound to that key, manual acks), so the broker writes every persistent message before it confirms, and no
#    one else's queue gets the flood. A task counts only once the broker confirmed it.
# Time is the database's: from just before the tasks become due to the last task's update. Prints one RESULT line per
# channel (tasks/s, CPU seconds per 1,000 messages of the app / MariaDB / RabbitMQ, live heap before and after a full
# GC, heap peak, load average before and after) and appends them to docs/bench/results/.
# Knobs: DRAIN_CHANNELS="HTTP MQ", DRAIN_TIMEOUT=240 (s per channel), DRAIN_APP_ARGS (extra --gbm.notify.* etc.),
# DRAIN_JAVA_OPTS (e.g. -XX:StartFlightRecording=filename=/tmp/drain.jfr to profile).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BENCH_DIR="$ROOT/docs/bench"
DRAIN_TASKS=${DRAIN_TASKS:-100000}
DRAIN_CHANNELS=${DRAIN_CHANNELS:-HTTP MQ}
DRAIN_TIMEOUT=${DRAIN_TIMEOUT:-240}
DRAIN_APP_ARGS=${DRAIN_APP_ARGS:-}
DRAIN_JAVA_OPTS=${DRAIN_JAVA_OPTS:-}
PORT=${PORT:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')}
RUN_ID=$(head -c4 /dev/urandom | od -An -tx1 | tr -d ' \n')
# A database of this run's own: two runs at once (or a run and a test) never drop each other's tables.
DB=gbm_bench_drain_$RUN_ID
PREFIX="bench_drain_$RUN_ID:"
URL="http://127.0.0.1:$PORT"
KEY="bench.drain.$RUN_ID"
mkdir -p "$BENCH_DIR/results"
OUT="$BENCH_DIR/results/$(date -u +%Y%m%d-%H%M)-$(git -C "$ROOT" rev-parse --short HEAD)-drain.txt"
WORK=$(mktemp -d)
LOG=$WORK/app.log

. "$BENCH_DIR/lib.sh"
# The broker's or MariaDB's pid may not be found: their CPU then reads 0.
cpu_ticks() { [ -n "$1" ] && awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
heap_used() { jcmd $APP GC.heap_info 2>/dev/null | awk '/garbage-first heap/{gsub("K","",$6); print int($6/1024)}'; }
live_heap() { jcmd $APP GC.run >/dev/null 2>&1; sleep 1; heap_used; }

say "# drain benchmark $(date -u +%FT%TZ) commit $(git -C "$ROOT" rev-parse --short HEAD), $(nproc) cores; rabbitmq $(rabbitmqctl version 2>/dev/null || echo '?'); tasks=$DRAIN_TASKS app_args='$DRAIN_APP_ARGS' java_opts='$DRAIN_JAVA_OPTS'"
say_if_tree_differs
build_jar
sql -e "CREATE DATABASE $DB CHARACTER SET utf8mb4"

APP= MALL= CLEAN_DB=$DB
cleanup() {
  [ -n "$MALL" ] && kill "$MALL" 2>/dev/null || true
  bench_cleanup
}
trap cleanup EXIT

# shellcheck disable=SC2086
start_app "$LOG" 120 -Xms1g -Xmx1g -XX:+UseG1GC $DRAIN_JAVA_OPTS -- \
  --spring.datasource.url="$(jdbc_url 3306 "$DB")" \
  --gbm.redis.key-prefix="$PREFIX" --logging.level.com.groupbuy.market=WARN --gbm.mq.demo-listener=false \
  --gbm.mq.refund-consumer.enabled=false \
  --xxl.job.executor.enabled=false --gbm.notify.local-scheduler-delay=1s $DRAIN_APP_ARGS
# Healthy is not enough: the MQ channel must be up too.
wait_healthy "$LOG" 1 '"mqChannel":{"status":"UP"'

# The mall runs on the very AMQP client the app ships.
(cd "$WORK" && unzip -q -j "$JAR" 'BOOT-INF/lib/amqp-client-*.jar' 'BOOT-INF/lib/slf4j-api-*.jar')
java -Xmx128m -cp "$(ls "$WORK"/amqp-client-*.jar):$(ls "$WORK"/slf4j-api-*.jar)" "$BENCH_DIR/DrainMall.java" \
  "$KEY" "$WORK/mall.count" >"$WORK/mall.log" 2>&1 &
MALL=$!
for _ in $(seq 1 60); do grep -q '^ready' "$WORK/mall.log" 2>/dev/null && break; sleep 1; done
grep -q '^ready' "$WORK/mall.log" || { cat "$WORK/mall.log"; exit 1; }

# The HTTP channel's partner: a receiver in a process of its own (NotifyReceiver.java), as in run.sh (#19, settlepath),
# so the app's CPU per callback is the delivery's alone; DRAIN_RECEIVER=app: the app's own test receiver, as before.
if [ "${DRAIN_RECEIVER:-own}" = app ]; then
  HTTP_RECEIVER="$URL/api/v1/test/group_buy_notify"
else
  start_receiver
  HTTP_RECEIVER=$RECEIVER_URL
fi

DB_PID=$(shared_mariadb_pid || true)
MQ_PID=$(pgrep -x beam.smp | head -1 || true)

drain() { # $1 channel, $2 notify_url or NULL, $3 notify_mq or NULL
  # Written not due, so the app cannot start on them before the clock starts; then all made due in one statement.
  sql $DB <<SQL
INSERT INTO notify_task (task_key, webhook_id, activity_id, team_id, source, channel, notify_category, notify_type,
  notify_mq, notify_url, notify_count, notify_status, parameter_json, next_attempt_time)
SELECT CONCAT('$1_', seq), CONCAT('$1-', seq), 900001, LPAD(seq MOD 100000000, 8, '0'), 's01', 'c01',
  'trade_settlement', '$1', $3, $2, 0, 0, CONCAT('{"teamId":"', LPAD(seq MOD 100000000, 8, '0'), '","outTradeNoList":["x"]}'),
  UTC_TIMESTAMP(3) + INTERVAL 1 DAY
FROM seq_1_to_$DRAIN_TASKS;
SQL
  local heap_start heap_max=0 heap a0 a1 d0 d1 m0 m1 w0 w1 t0 t1 seconds l0 left failed received=-
  local mall0
  mall0=$(cat "$WORK/mall.count" 2>/dev/null || echo 0)
  heap_start=$(live_heap)
  a0=$(cpu_ticks $APP); d0=$(cpu_ticks "$DB_PID"); m0=$(cpu_ticks "$MQ_PID"); w0=$(date +%s.%N); l0=$(load)
  t0=$(sql $DB -e "SELECT UTC_TIMESTAMP(3); UPDATE notify_task SET next_attempt_time = UTC_TIMESTAMP(3)")
  while :; do
    left=$(sql $DB -e "SELECT COUNT(*) FROM notify_task WHERE notify_status IN (0, 2)")
    heap=$(heap_used)
    [ -n "$heap" ] && [ "$heap" -gt "$heap_max" ] && heap_max=$heap
    [ "$left" -eq 0 ] && break
    [ "$(echo "$(date +%s.%N) - $w0 > $DRAIN_TIMEOUT" | bc)" -eq 1 ] && { say "# drain $1 timed out with $left left"; break; }
    sleep 0.5
  done
  w1=$(date +%s.%N); a1=$(cpu_ticks $APP); d1=$(cpu_ticks "$DB_PID"); m1=$(cpu_ticks "$MQ_PID")
  t1=$(sql $DB -e "SELECT MAX(update_time) FROM notify_task WHERE notify_status <> 0")
  seconds=$(sql -e "SELECT TIMESTAMPDIFF(MICROSECOND, '$t0', '$t1') / 1e6")
  failed=$(sql $DB -e "SELECT COUNT(*) FROM notify_attempt WHERE success = 0")
  local done_tasks
  done_tasks=$(sql $DB -e "SELECT COUNT(*) FROM notify_task WHERE notify_status = 1")
  if [ "$1" = MQ ]; then
    for _ in $(seq 1 20); do
      received=$(( $(cat "$WORK/mall.count") - mall0 ))
      [ "$received" -ge "$done_tasks" ] && break
      sleep 0.5
    done
  fi
  local tck wall
  tck=$(getconf CLK_TCK); wall=$(echo "$w1 - $w0" | bc -l)
  per_k() { echo "($2 - $1) / $tck * 1000 / $done_tasks" | bc -l | xargs printf '%.2f'; }
  pct() { echo "($2 - $1) / $tck / $wall * 100" | bc -l | xargs printf '%.0f'; }
  say "notify_drain channel=$1 tasks=$DRAIN_TASKS delivered=$done_tasks mall_received=$received seconds=$(printf '%.1f' "$seconds") per_s=$(echo "$done_tasks / $seconds" | bc -l | xargs printf '%.0f') failed_attempts=$failed app_cpu=$(pct "$a0" "$a1")% app_cpu_s_per_1k=$(per_k "$a0" "$a1") db_cpu_s_per_1k=$(per_k "$d0" "$d1") mq_cpu_s_per_1k=$(per_k "$m0" "$m1") live_heap_mb_before=$heap_start live_heap_mb_after=$(live_heap) heap_used_max_mb=$heap_max load_before=\"$l0\" load_after=\"$(load)\""
  sql $DB -e "DELETE FROM notify_attempt; DELETE FROM notify_task"
}

for channel in $DRAIN_CHANNELS; do
  case $channel in
    HTTP) drain HTTP "'$HTTP_RECEIVER'" NULL ;;
    MQ) drain MQ NULL "'$KEY'" ;;
    *) echo "unknown channel $channel" >&2; exit 2 ;;
  esac
done
say "# raw results in ${OUT#"$ROOT"/}"
