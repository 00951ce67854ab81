#!/usr/bin/env bash
# Where a lock's latency goes at 64 connections (#19, branch locktail):
#   BUILD=0 JAR=/tmp/x.jar TAG=a bash docs/bench/lock_tail.sh   (CONNS=64, DURATION=30s, SCENARIOS="lock_open")
# As docs/bench/lock_profile.sh runs the app (private MariaDB on DBPORT with O_DIRECT as the shared one, private Redis
# on REDISPORT, the partner's receiver in a process of its own, close checks on queues of their own), warmed up as
# run.sh does; then per scenario one wrk window at CONNS connections under a JFR recording (docs/bench/tail.jfc) of
# the app's own events: each group-commit write's wait (queued, its batch's write, its caller woken, batches written
# ahead of it), each batch (size, duration, the writer idle before it), each trade request's time in the app; the
# collections' pauses and long socket reads. docs/bench/lock_tail.py turns them into counts and percentiles, and
# splits the slowest 1 % of requests. Latencies of a shared machine are indicative only.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BENCH_DIR="$ROOT/docs/bench"
export BENCH_DIR
CONNS=${CONNS:-64}
DURATION=${DURATION:-30s}
SCENARIOS=${SCENARIOS:-"lock_open"}
DBPORT=${DBPORT:-3398}
REDISPORT=${REDISPORT:-6398}
PORT=${PORT:-18095}
TAG=${TAG:-}
PREFIX="locktail$$:"
QUEUES="gbm_locktail_$$"
URL="http://127.0.0.1:$PORT"
THREADS=2
STAMP="$(date -u +%Y%m%d-%H%M)-$(git -C "$ROOT" rev-parse --short HEAD)-lock-tail${TAG:+-$TAG}"
OUT="$BENCH_DIR/results/$STAMP.txt"
WORK=$(mktemp -d /tmp/gbm-lock-tail.XXXXXX)
KEEP_WORK=${KEEP_WORK:-1}
mkdir -p "$BENCH_DIR/results"

. "$BENCH_DIR/lib.sh"
CLEAN_QUEUES=$QUEUES
trap bench_cleanup EXIT
trap 'exit 1' INT TERM
start_receiver
export BENCH_NOTIFY_URL="$RECEIVER_URL"

say "# lock tail $(date -u +%FT%TZ) commit $(git -C "$ROOT" rev-parse --short HEAD) jar $JAR; conns=$CONNS duration=$DURATION; load $(load)${APP_ARGS:+; app args: $APP_ARGS}"
say_if_tree_differs
start_private_mariadb --max-connections=200 --innodb-flush-method=O_DIRECT
sql -e "CREATE DATABASE gbm_locktail CHARACTER SET utf8mb4"
start_private_redis
build_jar

private_app_args gbm_locktail
# shellcheck disable=SC2086
start_app "$WORK/app.log" 180 -Xms1g -Xmx1g -XX:+UseG1GC -- "${PRIVATE_APP_ARGS[@]}" ${APP_ARGS:-}
seed_bench_goods gbm_locktail
warm_up "$CONNS" "${WARMUP_STEP:-20s}" "%s"

COUNTERS="Questions Com_commit Innodb_log_writes Innodb_data_fsyncs"
counters() {
  sql -e "SHOW GLOBAL STATUS" | awk -v want=" $COUNTERS " 'index(want, " " $1 " ") {print $1, $2}'
  sql gbm_locktail -e "SELECT 'locks', COUNT(*) FROM group_buy_order_list" | tr '\t' ' '
}
DBPID=$(mariadb_pid)
hz=$(getconf CLK_TCK)
for scenario in $SCENARIOS; do
  counters >"$WORK/c0"; a0=$(cpu_ticks "$APP"); d0=$(cpu_ticks "$DBPID")
  jcmd "$APP" JFR.start name=tail settings="$BENCH_DIR/tail.jfc" filename="$WORK/$scenario.jfr" >/dev/null
  wrk -t$THREADS -c"$CONNS" -d"$DURATION" --latency -s "$BENCH_DIR/$scenario.lua" "$URL" >"$WORK/$scenario-wrk.txt"
  jcmd "$APP" JFR.stop name=tail >/dev/null
  counters >"$WORK/c1"; a1=$(cpu_ticks "$APP"); d1=$(cpu_ticks "$DBPID")
  locks=$(( $(awk '$1 == "locks" {print $2}' "$WORK/c1") - $(awk '$1 == "locks" {print $2}' "$WORK/c0") ))
  say "## $scenario: $(grep '^RESULT' "$WORK/$scenario-wrk.txt" || echo 'RESULT failed'); load $(load)"
  grep -A4 'Latency Distribution' "$WORK/$scenario-wrk.txt" | tee -a "$OUT"
  say "${scenario}_cpu locks=$locks app_cpu_ms_per_lock=$(echo "($a1 - $a0) * 1000 / $hz / $locks" | bc -l | xargs printf '%.4f') db_cpu_ms_per_lock=$(echo "($d1 - $d0) * 1000 / $hz / $locks" | bc -l | xargs printf '%.4f')"
  say "${scenario}_counts $( { sed 's/^/b /' "$WORK/c0"; sed 's/^/a /' "$WORK/c1"; } | awk -v n="$locks" '
    $1 == "b" { b[$2] = $3; next }
    { a[$2] = $3 }
    END { for (k in a) { if (k == "locks") continue; d = a[k] - b[k]; if (d != 0) printf "%s=%.3f\n", k, d / n } }' | sort | tr '\n' ' ')"
  say "# app threads: $(ls /proc/"$APP"/task | wc -l), of them request threads (http-nio-*-exec-*): $(grep -l '^http-nio' /proc/"$APP"/task/*/comm 2>/dev/null | wc -l)"
  jfr print --json --events 'gbm.GroupCommitWrite,gbm.GroupCommitBatch,gbm.GroupCommitStatements,gbm.TradeRequest,jdk.GarbageCollection,jdk.GCPhasePause,jdk.SafepointBegin,jdk.SocketRead' \
    "$WORK/$scenario.jfr" >"$WORK/$scenario-events.json"
  python3 "$BENCH_DIR/lock_tail.py" "$WORK/$scenario-events.json" | tee -a "$OUT"
done
say "# recordings in $WORK; raw results in ${OUT#$ROOT/}"
