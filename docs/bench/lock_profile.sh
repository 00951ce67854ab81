#!/usr/bin/env bash
# Where a lock's app CPU goes, per lock and load-independently (#19, branch lockapp):
#   BUILD=0 JAR=/tmp/x.jar TAG=a bash docs/bench/lock_profile.sh   (CONNS=64, DURATION=20s, SCENARIOS="lock_open lock_join")
# A private MariaDB (DBPORT) and redis-server (REDISPORT), the partner's receiver in a process of its own, close checks on
# queues of their own on the local RabbitMQ (deleted at the end); otherwise the app runs as run.sh runs it (prod jar,
# dev profile, WARN, XXL executor off, local compensation job every 1 s), warmed up as run.sh does (lib.sh warm_up).
# Per scenario, two wrk windows at CONNS connections:
#   1. counts: the app's CPU ticks and MariaDB's per lock, context switches, every thread's exact allocated bytes
#      (jdk.ThreadAllocationStatistics, nearly free), the private MariaDB's statement counters and Redis's commands per
#      lock, and the CPU of each app thread group (/proc/<pid>/task/*/stat) per lock;
#   2. PROFILE=1 (default): a JFR recording (execution samples every 2 ms), summarised by jfr_top.py per thread group
#      (docs/bench/jfr_groups.py). The recordings stay in WORK (printed at the end).
# Locks = rows written to group_buy_order_list in the window. No rate is printed.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BENCH_DIR="$ROOT/docs/bench"
export BENCH_DIR
CONNS=${CONNS:-64}
DURATION=${DURATION:-20s}
SCENARIOS=${SCENARIOS:-"lock_open lock_join"}
PROFILE=${PROFILE:-1}
DBPORT=${DBPORT:-3398}
REDISPORT=${REDISPORT:-6398}
PORT=${PORT:-18095}
TAG=${TAG:-}
PREFIX="lockprof$$:"
QUEUES="gbm_lockprof_$$"
URL="http://127.0.0.1:$PORT"
THREADS=2
STAMP="$(date -u +%Y%m%d-%H%M)-$(git -C "$ROOT" rev-parse --short HEAD)-lock-profile${TAG:+-$TAG}"
OUT="$BENCH_DIR/results/$STAMP.txt"
WORK=$(mktemp -d /tmp/gbm-lock-profile.XXXXXX)
KEEP_WORK=${KEEP_WORK:-1}
mkdir -p "$BENCH_DIR/results"

. "$BENCH_DIR/lib.sh"
CLEAN_QUEUES=$QUEUES
trap bench_cleanup EXIT
trap 'exit 1' INT TERM
start_receiver
export BENCH_NOTIFY_URL="$RECEIVER_URL"

say "# lock profile $(date -u +%FT%TZ) commit $(git -C "$ROOT" rev-parse --short HEAD) jar $JAR; conns=$CONNS duration=$DURATION; load $(load)${APP_ARGS:+; app args: $APP_ARGS}"
say_if_tree_differs
start_private_mariadb --max-connections=200
sql -e "CREATE DATABASE gbm_lockprof CHARACTER SET utf8mb4"
start_private_redis
build_jar

private_app_args gbm_lockprof
# shellcheck disable=SC2086
start_app "$WORK/app.log" 180 -Xms1g -Xmx1g -XX:+UseG1GC -XX:FlightRecorderOptions:stackdepth=256 -- \
  "${PRIVATE_APP_ARGS[@]}" ${APP_ARGS:-}
seed_bench_goods gbm_lockprof
warm_up "$CONNS" "${WARMUP_STEP:-20s}" "%s"

COUNTERS="Questions Com_select Com_insert Com_update Com_delete Com_commit Com_rollback Com_set_option Innodb_log_writes Innodb_data_fsyncs"
counters() {
  sql -e "SHOW GLOBAL STATUS" | awk -v want=" $COUNTERS " 'index(want, " " $1 " ") {print $1, $2}'
  redis-cli -p "$REDISPORT" INFO commandstats | tr -d '\r' | awk -F'[:=,]' '/^cmdstat_/ {sub("cmdstat_", "redis_", $1); print $1, $3}'
  sql gbm_lockprof -e "SELECT 'locks', COUNT(*) FROM group_buy_order_list" | tr '\t' ' '
}
threads() { # tid ticks name
  awk '{
    i = index($0, "("); j = 0
    for (k = length($0); k > i; k--) if (substr($0, k, 1) == ")") { j = k; break }
    split(substr($0, j + 2), f, " ")
    printf "%s\t%s\t%s\n", $1, f[12] + f[13], substr($0, i + 1, j - i - 1)
  }' /proc/"$APP"/task/*/stat 2>/dev/null || true
}
ctx() { awk '/ctxt_switches/ {s += $2} END {print s}' /proc/"$APP"/task/*/status 2>/dev/null || true; } # a thread may end while read
cat >"$WORK/alloc.jfc" <<JFC
<?xml version="1.0" encoding="UTF-8"?>
<configuration version="2.0" label="alloc-counts">
  <event name="jdk.ThreadAllocationStatistics"><setting name="enabled">true</setting><setting name="period">everyChunk</setting></event>
</configuration>
JFC
DBPID=$(mariadb_pid)
hz=$(getconf CLK_TCK)
for scenario in $SCENARIOS; do
  counters >"$WORK/c0"; threads >"$WORK/t0"; a0=$(cpu_ticks "$APP"); d0=$(cpu_ticks "$DBPID"); x0=$(ctx)
  jcmd "$APP" JFR.start name=counts settings="$WORK/alloc.jfc" filename="$WORK/$scenario-counts.jfr" >/dev/null
  line=$(wrk -t$THREADS -c"$CONNS" -d"$DURATION" -s "$BENCH_DIR/$scenario.lua" "$URL" | grep '^RESULT' || echo "RESULT failed")
  jcmd "$APP" JFR.stop name=counts >/dev/null
  counters >"$WORK/c1"; threads >"$WORK/t1"; a1=$(cpu_ticks "$APP"); d1=$(cpu_ticks "$DBPID"); x1=$(ctx)
  locks=$(( $(awk '$1 == "locks" {print $2}' "$WORK/c1") - $(awk '$1 == "locks" {print $2}' "$WORK/c0") ))
  say "## $scenario: wrk $(echo "${line#RESULT }" | grep -o 'requests=[0-9]* http_errors=[0-9]* business_errors=[0-9]*'); load $(load)"
  say "${scenario}_cpu locks=$locks app_cpu_ms_per_lock=$(echo "($a1 - $a0) * 1000 / $hz / $locks" | bc -l | xargs printf '%.4f') db_cpu_ms_per_lock=$(echo "($d1 - $d0) * 1000 / $hz / $locks" | bc -l | xargs printf '%.4f') app_ctx_switches_per_lock=$(echo "($x1 - $x0) / $locks" | bc -l | xargs printf '%.2f')"
  say "${scenario}_counts $( { sed 's/^/b /' "$WORK/c0"; sed 's/^/a /' "$WORK/c1"; } | awk -v n="$locks" '
    $1 == "b" { b[$2] = $3; next }
    { a[$2] = $3 }
    END { for (k in a) { if (k == "redis_info" || k == "locks") continue; d = a[k] - b[k]; if (d != 0) printf "%s=%.3f\n", k, d / n } }' | sort | tr '\n' ' ')"
  jfr print --json --events jdk.ThreadAllocationStatistics "$WORK/$scenario-counts.jfr" >"$WORK/$scenario-alloc.json"
  python3 "$BENCH_DIR/jfr_alloc_groups.py" "$WORK/$scenario-alloc.json" "$locks" "$scenario" lock | tee -a "$OUT"
  say "# app threads: share of the app's CPU in the window (grouped by name, digits as #), and ms per lock"
  awk -F'\t' -v total="$((a1 - a0))" -v n="$locks" -v hz="$hz" '
    FNR == NR { before[$1] = $2; next }
    { name = $3; gsub(/[0-9]+/, "#", name); d = $2 - ($1 in before ? before[$1] : 0); group[name] += d; seen += d }
    END {
      for (g in group) if (group[g] > 0) printf "%6.1f%% %7.4f ms  %s\n", group[g] * 100 / total, group[g] * 1000 / hz / n, g
      printf "%6.1f%% %7.4f ms  %s\n", (total - seen) * 100 / total, (total - seen) * 1000 / hz / n, "(threads that ended in the window)"
    }' "$WORK/t0" "$WORK/t1" | sort -rn | head -14 | tee -a "$OUT"
  if [ "$PROFILE" = 1 ]; then
    jcmd "$APP" JFR.start name=cpu settings="$BENCH_DIR/edge.jfc" filename="$WORK/$scenario.jfr" >/dev/null
    wrk -t$THREADS -c"$CONNS" -d"$DURATION" -s "$BENCH_DIR/$scenario.lua" "$URL" >/dev/null
    jcmd "$APP" JFR.stop name=cpu >/dev/null
    jfr print --stack-depth 256 --events jdk.ExecutionSample "$WORK/$scenario.jfr" >"$WORK/$scenario-cpu.txt"
    jfr print --stack-depth 256 --events jdk.ObjectAllocationSample "$WORK/$scenario.jfr" >"$WORK/$scenario-allocsamples.txt"
    say "# $scenario: JFR, top frames by thread group"
    python3 "$BENCH_DIR/jfr_groups.py" "$WORK/$scenario-cpu.txt" | tee -a "$OUT" >/dev/null
  fi
done
say "# recordings in $WORK; raw results in ${OUT#$ROOT/}"
