#!/usr/bin/env bash
# The HTTP drain as run.sh runs it, counted (issue 19, branch drainwhy: why the drain read slower inside run.sh only):
#   PORT=... DBPORT=... REDISPORT=... bash docs/bench/drain_context.sh   (DRAIN_TASKS=100000, WARMUP_ROUNDS=5, SEED_ROWS=0
#   by default; SEED_ROWS adds that many done close checks to notify_task before the drain)
# Not a timing benchmark: no rate is printed. The app runs as in run.sh (prod jar, dev profile, WARN logging, every
# local job on, the local notify scheduler every 1 s, MQ on the local RabbitMQ), but against a private MariaDB (port
# DBPORT, performance_schema on; the app as user gbm) and a private Redis (REDISPORT), so their counters and CPU are
# the app's alone. It warms up as run.sh does (WARMUP_ROUNDS rounds of WARMUP_STEP, lock_open / lock_join at 64
# connections: the open teams and the close-check rows run.sh's drain finds), sets every task to status 1 as run.sh
# does, then writes DRAIN_TASKS due HTTP tasks to the app's own receiver and waits (on the app's delivery counter, so
# no poll reads the table) until all are delivered. Printed per callback for the drain window: rows examined and
# statements by kind (user gbm), the statement shapes with their rows examined, InnoDB's Handler_read_* (global,
# less this script's own statements), the CPU ms of the app, of the private MariaDB and Redis, and the app's CPU by
# thread (/proc/<app>/task, names with digits as #). JFR=1 also records the window and prints the samples by thread
# and the nearest own frame (docs/bench/jfr_top.py). APP_ARGS passes settings to the app (e.g. a job turned off).
# Writes docs/bench/results/<date>-<commit>-drain-context[-TAG].txt.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BENCH_DIR="$ROOT/docs/bench"
export BENCH_DIR
DRAIN_TASKS=${DRAIN_TASKS:-100000}
DBPORT=${DBPORT:-3399}
REDISPORT=${REDISPORT:-6399}
PORT=${PORT:-18096}
APP_ARGS=${APP_ARGS:-}
JFR=${JFR:-0}
TIMEOUT=${TIMEOUT:-600}
WARMUP_ROUNDS=${WARMUP_ROUNDS:-5}
export WARMUP_ROUNDS WARMUP_C2_PCT=0
WARMUP_STEP=${WARMUP_STEP:-20s}
SEED_ROWS=${SEED_ROWS:-0}
PREFIX="drainctx$$:"
URL="http://127.0.0.1:$PORT"
export BENCH_NOTIFY_URL="$URL/api/v1/test/group_buy_notify"
THREADS=2
export BENCH_THREADS=$THREADS
TAG=${TAG:-}
OUT="$ROOT/docs/bench/results/$(date -u +%Y%m%d-%H%M)-$(git -C "$ROOT" rev-parse --short HEAD)-drain-context${TAG:+-$TAG}.txt"
WORK=$(mktemp -d /tmp/gbm-drain-context.XXXXXX)
mkdir -p "$ROOT/docs/bench/results"

. "$BENCH_DIR/lib.sh"
trap bench_cleanup EXIT
trap 'exit 1' INT TERM

say "# HTTP drain in run.sh's context, counts per callback $(date -u +%FT%TZ) commit $(git -C "$ROOT" rev-parse --short HEAD); jar $JAR; tasks=$DRAIN_TASKS seed_rows=$SEED_ROWS warm-up ${WARMUP_ROUNDS}x$WARMUP_STEP app_args='$APP_ARGS' jfr=$JFR; load $(load)"
say_if_tree_differs

start_private_mariadb --performance-schema=ON --performance-schema-digests-size=2000 --innodb-buffer-pool-size=128M
sql -e "CREATE DATABASE gbm_ctx CHARACTER SET utf8mb4; DROP USER IF EXISTS ''@'localhost';
        CREATE USER gbm@'localhost' IDENTIFIED BY 'gbm'; GRANT ALL ON *.* TO gbm@'localhost';
        CREATE USER gbm@'127.0.0.1' IDENTIFIED BY 'gbm'; GRANT ALL ON *.* TO gbm@'127.0.0.1'"
start_private_redis

build_jar
# shellcheck disable=SC2086
start_app "$WORK/app.log" 180 -Xms1g -Xmx1g -XX:+UseG1GC -- --spring.data.redis.port="$REDISPORT" \
  --spring.datasource.url="$(jdbc_url "$DBPORT" gbm_ctx)" \
  --spring.datasource.username=gbm --spring.datasource.password=gbm \
  --gbm.redis.key-prefix="$PREFIX" --logging.level.com.groupbuy.market=WARN --xxl.job.executor.enabled=false \
  --gbm.notify.local-scheduler-delay=1s --gbm.mq.refund-consumer.enabled=false $APP_ARGS

seed_bench_goods gbm_ctx
warm_up 64 "$WARMUP_STEP" "$WARMUP_STEP, %s, 64 conns"

sleep 5
sql gbm_ctx -e "UPDATE notify_task SET notify_status = 1"
# SEED_ROWS more done close checks, for the table size of a quiet run.sh (its faster warm-up leaves hundreds of
# thousands) when the warm-up here, on a loaded machine, leaves far fewer.
if [ "$SEED_ROWS" -gt 0 ]; then
  sql gbm_ctx <<SQL
INSERT INTO notify_task (task_key, webhook_id, activity_id, team_id, source, channel, notify_category, notify_type,
  notify_url, notify_count, notify_status, parameter_json, next_attempt_time)
SELECT CONCAT('seed_', seq), CONCAT('seed-', seq), 900001, LPAD(seq MOD 100000000, 8, '0'), 's01', 'c01',
  'team_close_check', 'DELAY', NULL, 1, 1, CONCAT('{"teamId":"', LPAD(seq MOD 100000000, 8, '0'), '","closeAt":1,"delayMs":600000}'),
  UTC_TIMESTAMP(3)
FROM seq_1_to_$SEED_ROWS;
SQL
fi
open_teams=$(sql gbm_ctx -e "SELECT COUNT(*) FROM group_buy_order WHERE status = 0")
rows_before=$(sql gbm_ctx -e "SELECT COUNT(*) FROM notify_task")
# Written due tomorrow, so that nothing starts before the counters are read; then made due in one statement.
sql gbm_ctx <<SQL
INSERT INTO notify_task (task_key, webhook_id, activity_id, team_id, source, channel, notify_category, notify_type,
  notify_url, notify_count, notify_status, parameter_json, next_attempt_time)
SELECT CONCAT('drain_', seq), CONCAT('drain-', seq), 900001, LPAD(seq MOD 100000000, 8, '0'), 's01', 'c01',
  'trade_settlement', 'HTTP', '$BENCH_NOTIFY_URL', 0, 0, CONCAT('{"teamId":"', seq, '","outTradeNoList":["x"]}'),
  UTC_TIMESTAMP(3) + INTERVAL 1 DAY
FROM seq_1_to_$DRAIN_TASKS;
SQL
say "# notify_task: $rows_before rows set to status 1 (the warm-up's close checks) + $DRAIN_TASKS drain rows; open teams $open_teams; load $(load)"

deliveries() {
  curl -fs "$URL/actuator/metrics/gbm.notify.deliveries" 2>/dev/null \
    | python3 -c 'import json,sys; print(int(sum(m["value"] for m in json.load(sys.stdin)["measurements"] if m["statistic"]=="COUNT")))' \
    2>/dev/null || echo 0
}
handlers() { sql -e "SHOW GLOBAL STATUS WHERE Variable_name LIKE 'Handler_read%' OR Variable_name IN ('Handler_update', 'Handler_write')"; }
by_kind() {
  sql -e "SELECT REPLACE(REPLACE(EVENT_NAME, 'statement/sql/', ''), 'statement/com/', 'com_'), SUM(COUNT_STAR), SUM(SUM_ROWS_EXAMINED)
          FROM performance_schema.events_statements_summary_by_user_by_event_name
          WHERE USER = 'gbm' AND COUNT_STAR > 0 AND EVENT_NAME NOT LIKE 'statement/abstract/%' GROUP BY EVENT_NAME"
}
# Ticks per thread name (digits as #), from /proc/<app>/task/*: comm, then utime + stime after the "(comm)" field.
thread_ticks() {
  local d
  for d in /proc/$APP/task/*; do
    printf '%s\t%s\n' "$(tr -d '\n' < "$d/comm" 2>/dev/null | tr '0-9' '#' | tr ' ' '_')" \
      "$(sed 's/^.*) //' "$d/stat" 2>/dev/null | awk '{print $12 + $13}')"
  done 2>/dev/null | awk -F'\t' '$2 != "" { t[$1] += $2 } END { for (n in t) print n "\t" t[n] }'
}

sql -e "TRUNCATE performance_schema.events_statements_summary_by_digest;
        TRUNCATE performance_schema.events_statements_summary_by_user_by_event_name"
kind0=$(by_kind); h0=$(handlers); del0=$(deliveries); th0=$(thread_ticks)
[ "$JFR" = 1 ] && jcmd "$APP" JFR.start name=drain settings=profile filename="$WORK/drain.jfr" >/dev/null
a0=$(cpu_ticks "$APP"); d0=$(cpu_ticks "$(mariadb_pid)"); r0=$(cpu_ticks "$REDIS"); l0=$(load)
# The one statement that makes the drain due, in a session whose own handler reads are taken off the global ones.
own=$(sql gbm_ctx -e "UPDATE notify_task SET next_attempt_time = UTC_TIMESTAMP(3) WHERE task_key LIKE 'drain\\_%';
                      SHOW SESSION STATUS WHERE Variable_name LIKE 'Handler_read%' OR Variable_name IN ('Handler_update', 'Handler_write')")
w0=$(date +%s)
while :; do
  n=$(( $(deliveries) - del0 ))
  [ "$n" -ge "$DRAIN_TASKS" ] && break
  [ $(( $(date +%s) - w0 )) -gt "$TIMEOUT" ] && { say "# drain timed out with $n of $DRAIN_TASKS delivered"; break; }
  sleep 0.5
done
a1=$(cpu_ticks "$APP"); d1=$(cpu_ticks "$(mariadb_pid)"); r1=$(cpu_ticks "$REDIS"); th1=$(thread_ticks)
[ "$JFR" = 1 ] && jcmd "$APP" JFR.stop name=drain >/dev/null
h1=$(handlers); kind1=$(by_kind)

hz=$(getconf CLK_TCK)
N=$DRAIN_TASKS
per() { echo "$1 / $N" | bc -l | xargs printf '%.3f'; }
ms() { echo "$1 * 1000 / $hz / $N" | bc -l | xargs printf '%.4f'; }
line="drain_context tasks=$N delivered=$n app_cpu_ms=$(ms $((a1 - a0))) db_cpu_ms=$(ms $((d1 - d0))) redis_cpu_ms=$(ms $((r1 - r0)))"
while IFS=$'\t' read -r name count rows; do
  [ -n "$name" ] || continue
  b=$(echo "$kind0" | awk -F'\t' -v n="$name" '$1 == n { print $2 }'); br=$(echo "$kind0" | awk -F'\t' -v n="$name" '$1 == n { print $3 }')
  line="$line $name=$(per "$(( count - ${b:-0} ))")/rows_examined=$(per "$(( rows - ${br:-0} ))")"
done <<< "$(echo "$kind1" | sort)"
while IFS=$'\t' read -r name v1; do
  [ -n "$name" ] || continue
  v0=$(echo "$h0" | awk -F'\t' -v n="$name" '$1 == n { print $2 }'); vo=$(echo "$own" | awk -F'\t' -v n="$name" '$1 == n { print $2 }')
  line="$line $name=$(per "$(( v1 - v0 - ${vo:-0} ))")"
done <<< "$h1"
line="$line load_before=\"$l0\" load_after=\"$(load)\""
say "$line"
say "# app CPU ms per callback by thread (name, digits as #), threads alive at both ends; the rest exited meanwhile:"
{
  echo "$th0" | sed 's/^/0\t/'
  echo "$th1" | sed 's/^/1\t/'
} | awk -F'\t' -v hz="$hz" -v n="$N" -v total=$((a1 - a0)) '
  $1 == 0 { t0[$2] = $3 } $1 == 1 { t1[$2] = $3 }
  END { for (k in t1) { d = t1[k] - t0[k]; s += d; if (d > 0) printf "#   %8.4f  %s\n", d * 1000 / hz / n, k }
        printf "#   %8.4f  (threads gone or new meanwhile)\n", (total - s) * 1000 / hz / n }' | sort -rn -k2 | tee -a "$OUT"
say "# statement shapes of user gbm during the drain (count per callback, rows examined per statement, count, digest):"
sql -e "SELECT COUNT_STAR, SUM_ROWS_EXAMINED / COUNT_STAR, LEFT(REPLACE(DIGEST_TEXT, '\n', ' '), 200)
        FROM performance_schema.events_statements_summary_by_digest
        WHERE SCHEMA_NAME = 'gbm_ctx' ORDER BY COUNT_STAR DESC LIMIT 25" \
  | awk -F'\t' -v n="$N" '{ printf "#   %.3f %9.1f %8d %s\n", $1 / n, $2, $1, $3 }' | tee -a "$OUT"
if [ "$JFR" = 1 ]; then
  jfr print --stack-depth 100 --events jdk.ExecutionSample "$WORK/drain.jfr" >"$WORK/samples.txt"
  say "# JFR profile of the drain (jdk.ExecutionSample, docs/bench/jfr_top.py): shares of samples"
  python3 "$BENCH_DIR/jfr_top.py" "$WORK/samples.txt" | sed 's/^/#   /' | tee -a "$OUT"
  cp "$WORK/drain.jfr" "/tmp/drain-context-$(date -u +%H%M%S)${TAG:+-$TAG}.jfr" 2>/dev/null || true
fi
say "# raw results in ${OUT#"$ROOT"/}"
