#!/usr/bin/env bash
# Statements per lock under concurrency, group commit of locks off and on (issue 19):
#   bash docs/bench/statements_concurrent.sh        (CONNS=32 connections, DURATION=10s per scenario by default)
# statements.sh sends one request at a time, so no two locks ever share a batch; this one keeps CONNS locks in flight
# with wrk (lock_open.lua, lock_join.lua) and divides the deltas of the database's own counters by the locks written
# (member rows added), once per mode on a fresh app. Not a timing benchmark: the req/s wrk prints on the way is not
# recorded, only counts, which do not depend on the machine's speed. Like statements.sh it runs on a private MariaDB
# (port 3398, fresh data dir) so the counters are the app's alone, and the close checks go to queues of its own on
# the local RabbitMQ (deleted at the end). Writes docs/bench/results/<date>-<commit>-statements-concurrent.txt.
# JFR=1 also records each counted window with docs/bench/writer.jfc (CPU samples every 2 ms, each thread's allocation
# counter) and appends docs/bench/jfr_writer.py's summary: the group-commit writer's share of the app's CPU samples,
# its hot frames, and the bytes it and the whole app allocated per lock (counts, not times). The recordings stay in
# $JFR_DIR (default /tmp/gbm-statements-jfr.<pid>). JFR_THREADS (comma-separated thread names, default
# lock-group-commit) picks the threads summarised; JFC=docs/bench/relay.jfc adds allocation samples, split by frame
# per thread with docs/bench/jfr_alloc.py. AmqpSent / AmqpReceived: bytes the app's sockets to the broker sent and
# received per lock (the kernel's counters, ss -ti).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BENCH_DIR="$ROOT/docs/bench"
export BENCH_DIR
CONNS=${CONNS:-32}
DURATION=${DURATION:-10s}
DBPORT=${DBPORT:-3398}
PORT=${PORT:-18093}
MODES=${MODES:-"off on"}
JFR=${JFR:-0}
JFR_DIR=${JFR_DIR:-/tmp/gbm-statements-jfr.$$}
JFC=${JFC:-$BENCH_DIR/writer.jfc}
JFR_THREADS=${JFR_THREADS:-lock-group-commit}
PREFIX="stmtgc$$:"
QUEUES="gbm_stmtgc_$$"
URL="http://127.0.0.1:$PORT"
export BENCH_NOTIFY_URL="$URL/api/v1/test/group_buy_notify"
OUT="$BENCH_DIR/results/$(date -u +%Y%m%d-%H%M)-$(git -C "$ROOT" rev-parse --short HEAD)-statements-concurrent.txt"
WORK=$(mktemp -d /tmp/gbm-statements-concurrent.XXXXXX)
mkdir -p "$BENCH_DIR/results"

. "$BENCH_DIR/lib.sh"
CLEAN_REDIS_PREFIX=$PREFIX
CLEAN_QUEUES=$QUEUES
trap bench_cleanup EXIT
trap 'exit 1' INT TERM

say "# statements per lock under concurrency $(date -u +%FT%TZ) commit $(git -C "$ROOT" rev-parse --short HEAD); conns=$CONNS duration=$DURATION; load $(load)"
say_if_tree_differs

start_private_mariadb --max-connections=200
sql -e "CREATE DATABASE gbm_stmt CHARACTER SET utf8mb4"
say "# innodb_autoinc_lock_mode=$(sql -e 'SELECT @@innodb_autoinc_lock_mode')"

build_jar

start_app_with_group_commit() { # on|off
  local jfr_options=()
  [ "$JFR" = 1 ] && jfr_options=(-XX:FlightRecorderOptions:stackdepth=256)
  start_app "$WORK/app-$1.log" 180 -Xms512m -Xmx512m "${jfr_options[@]}" -- \
    --spring.datasource.url="$(jdbc_url "$DBPORT" gbm_stmt)" \
    --gbm.redis.key-prefix="$PREFIX" --logging.level.com.groupbuy.market=WARN --xxl.job.executor.enabled=false \
    --gbm.notify.local-scheduler-enabled=false --gbm.timeout.local-scheduler-enabled=false \
    --gbm.notify.retention.local-scheduler-enabled=false --gbm.mq.refund-consumer.enabled=false \
    --gbm.close-check.queue="$QUEUES" --gbm.close-check.dead-letter-queue="$QUEUES.dead" \
    --gbm.close-check.lane-prefix="$QUEUES.delay." \
    --gbm.lock.group-commit.enabled=$([ "$1" = on ] && echo true || echo false)
}

seed() { # the bench goods, once the first app has migrated the schema
  [ "$(sql gbm_stmt -e "SELECT COUNT(*) FROM group_buy_activity WHERE activity_id = 900001")" = 1 ] && return
  seed_bench_goods gbm_stmt
}

COUNTERS="AmqpSent AmqpReceived Questions Com_select Com_insert Com_update Com_update_multi Com_set_option Com_commit Com_rollback Innodb_log_writes Innodb_data_fsyncs"
amqp_bytes() { # bytes the app's sockets to the broker sent and received so far (the kernel's counters, ss -ti)
  ss -tinpH "( dport = :5672 )" 2>/dev/null | awk -v pid="pid=$APP," '
    /users:/ { mine = index($0, pid) > 0; next }
    mine { for (i = 1; i <= NF; i++) { split($i, kv, ":"); if (kv[1] == "bytes_sent") s += kv[2];
                                        if (kv[1] == "bytes_received") r += kv[2] } }
    END { printf "AmqpSent %d\nAmqpReceived %d\n", s, r }'
}
snapshot() {
  { amqp_bytes
    sql -e "SHOW GLOBAL STATUS" | awk -v want=" $COUNTERS " 'index(want, " " $1 " ") {print $1, $2}'
    echo "Locks $(sql gbm_stmt -e 'SELECT COUNT(*) FROM group_buy_order_list')"
    echo "Teams $(sql gbm_stmt -e 'SELECT COUNT(*) FROM group_buy_order')"; } | sort
}
batches() { # count and total of gbm.lock.group.commit.batch (0 0 while group commit is off)
  curl -fs "$URL/actuator/metrics/gbm.lock.group.commit.batch" 2>/dev/null \
    | jq -r '[.measurements[] | select(.statistic == "COUNT" or .statistic == "TOTAL") | .value] | "\(.[0]) \(.[1])"' \
    || echo "0 0"
}

measure() { # mode scenario script
  local before after b0 b1 result
  before=$(snapshot); b0=$(batches)
  [ "$JFR" = 1 ] && jcmd "$APP" JFR.start name=counted settings="$JFC" >/dev/null
  result=$(wrk -t2 -c"$CONNS" -d"$DURATION" -s "$BENCH_DIR/$3" "$URL" | grep '^RESULT' || echo "RESULT failed")
  sleep 3 # the close-check relay publishes what the last locks queued: its statements are part of each lock's cost
  after=$(snapshot); b1=$(batches)
  local recording="$JFR_DIR/$1-$2.jfr"
  recording=${recording//=/-}
  [ "$JFR" = 1 ] && jcmd "$APP" JFR.stop name=counted filename="$recording" >/dev/null
  local line
  line=$(join <(echo "$before") <(echo "$after") | awk -v order="$COUNTERS" '
    { d[$1] = $3 - $2 }
    END { n = d["Locks"]; if (n == 0) n = 1; d["Questions"] -= 4
          printf " locks=%d teams=%d", d["Locks"], d["Teams"]
          k = split(order, names, " "); for (i = 1; i <= k; i++) printf " %s=%.2f", names[i], d[names[i]] / n }')
  local batch
  batch=$(echo "$b0 $b1" | awk '{ c = $3 - $1; t = $4 - $2; printf "batches=%d locks_per_batch=%.1f", c, (c > 0 ? t / c : 0) }')
  # Every close check written so far published once by id (SUCCESS): a lock handed another lock's ids would leave
  # checks unpublished (INIT) or publish one twice.
  local checks
  checks=$(sql gbm_stmt -e "SELECT CONCAT('close_checks=', COUNT(*), ' published=', SUM(notify_status = 1),
    ' published_twice=', SUM(notify_count > 1)) FROM notify_task WHERE notify_type = 'DELAY'")
  say "$1 $2 conns=$CONNS$line $batch $checks errors:$(echo "$result" | grep -o 'http_errors=[0-9]* business_errors=[0-9]* socket_errors=[0-9]*')"
  if [ "$JFR" = 1 ]; then
    jfr print --stack-depth 256 --events jdk.ExecutionSample "$recording" >"${recording%.jfr}-cpu.txt"
    jfr print --json --events jdk.ThreadAllocationStatistics "$recording" >"${recording%.jfr}-alloc.json"
    say "## JFR $1 $2 ($(basename "$recording"))"
    local thread threads
    IFS=, read -ra threads <<<"$JFR_THREADS"
    for thread in "${threads[@]}"; do
      python3 "$BENCH_DIR/jfr_writer.py" "${recording%.jfr}-cpu.txt" "${recording%.jfr}-alloc.json" \
        "$(echo "$line" | grep -o 'locks=[0-9]*' | cut -d= -f2)" "$thread" | tee -a "$OUT"
    done
    if grep -q ObjectAllocationSample "$JFC"; then
      jfr print --stack-depth 64 --events jdk.ObjectAllocationSample "$recording" >"${recording%.jfr}-samples.txt"
      for thread in "${threads[@]}"; do
        python3 "$BENCH_DIR/jfr_alloc.py" "${recording%.jfr}-samples.txt" "$thread" | tee -a "$OUT"
      done
    fi
  fi
}

[ "$JFR" = 1 ] && mkdir -p "$JFR_DIR"
for mode in $MODES; do
  start_app_with_group_commit "$mode"
  seed
  wrk -t2 -c"$CONNS" -d5s -s "$BENCH_DIR/lock_open.lua" "$URL" >/dev/null # warm-up, not counted
  wrk -t2 -c"$CONNS" -d5s -s "$BENCH_DIR/lock_join.lua" "$URL" >/dev/null
  sleep 3
  measure "group_commit=$mode" lock_open lock_open.lua
  measure "group_commit=$mode" lock_join lock_join.lua
  stop_app
done
say "# per lock written (member rows added); Questions less the snapshots' own; lock_join: about 2 joins per team opened;"
say "# Innodb_log_writes / Innodb_data_fsyncs: redo writes and fsyncs, which MariaDB already groups across concurrent commits"
say "# raw results in ${OUT#$ROOT/}"
