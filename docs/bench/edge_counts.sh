#!/usr/bin/env bash
# The HTTP edge's cost per request as counts over a fixed number of requests (#19, branch edgecpu): app CPU and
# Tomcat-thread CPU from /proc, bytes allocated by the request threads and by the whole app from JFR's
# jdk.ThreadAllocationStatistics (exact per-thread counters, no sampling), optionally JFR sample shares.
#   JARS="before=/tmp/a.jar after=/tmp/b.jar" ROUNDS=2 bash docs/bench/edge_counts.sh
# Jars are run one after another, alternating, ROUNDS times each, on the same private MariaDB (DBPORT) and private
# redis-server (REDISPORT), each run on a fresh database, so a shared machine's load falls on both alike. Per run:
# warm-up (WARM rounds of N lock_open and N lock_join requests, a settle round), then windows of exactly
# N requests each (wrk stops each thread after N/THREADS answers; the requests served are counted in the database):
#   lock_open   - every request opens a team;
#   settle      - settlement of the orders of full teams filled beforehand (unmeasured), N of them;
# and with PROFILE=1 one more lock_open window under docs/bench/edge.jfc (execution samples; jfr_edge_compare.py).
# Every local scheduler, the refund consumer and the XXL executor are off; callbacks go to a closed port, so the
# request threads serve only the benchmark's requests. No rate is printed.
# Write syscalls per request (/proc/<pid>/io syscw, #19 framing): the whole app's, and the Tomcat threads' (summed per
# thread like their CPU). DB_PREFIX names the run's databases (default gbm_ec).
# Writes docs/bench/results/<date>-edge-counts[-LABEL].txt; recordings stay in /tmp/gbm-edgecounts.*.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BENCH_DIR="$ROOT/docs/bench"
export BENCH_DIR
N=${N:-20000}
WARM=${WARM:-3}
CONNS=${CONNS:-16}
ROUNDS=${ROUNDS:-2}
PORT=${PORT:-18121}
DBPORT=${DBPORT:-3421}
REDISPORT=${REDISPORT:-6421}
THREADS=2
URL="http://127.0.0.1:$PORT"
# Callbacks fail at once (connection refused) and wait for a retry that never comes: no request-thread work.
export BENCH_NOTIFY_URL="http://127.0.0.1:9/notify"
OUT="$BENCH_DIR/results/$(date -u +%Y%m%d-%H%M)-edge-counts${LABEL:+-$LABEL}.txt"
WORK=$(mktemp -d /tmp/gbm-edgecounts.XXXXXX)
KEEP_WORK=1
mkdir -p "$BENCH_DIR/results"
. "$BENCH_DIR/lib.sh"
trap bench_cleanup EXIT
trap 'exit 1' INT TERM

HZ=$(getconf CLK_TCK)
# Per thread of the app whose name starts with $1: "tid ticks" (utime + stime). The kernel keeps 15 characters of a
# name, and a connector bound to an address names its threads http-nio-127.0.0.1-PORT-...: "http-nio-" is matched.
# Tomcat starts and ends pool threads as the load changes, so a window's ticks are summed per thread id (a thread
# started within the window counts from 0; one that ended within it is lost, which makes the figure a lower bound).
thread_ticks() {
  local d
  for d in /proc/$APP/task/*; do
    case "$(cat "$d/comm" 2>/dev/null)" in "$1"*) ;; *) continue ;; esac
    echo "${d##*/} $(sed 's/^.*) //' "$d/stat" 2>/dev/null | awk '{print $12 + $13}')"
  done
}
# Write syscalls (syscw of /proc/.../io): of the whole app, and per thread whose name starts with $1 ("tid count").
app_syscw() { awk '$1 == "syscw:" {print $2}' "/proc/$APP/io"; }
thread_syscw() {
  local d
  for d in /proc/$APP/task/*; do
    case "$(cat "$d/comm" 2>/dev/null)" in "$1"*) ;; *) continue ;; esac
    echo "${d##*/} $(awk '$1 == "syscw:" {print $2}' "$d/io" 2>/dev/null)"
  done
}
ticks_delta() { # ticks_delta <before> <after>: the summed per-thread difference
  awk 'NR == FNR { b[$1] = $2; next } { t += $2 - ($1 in b ? b[$1] : 0) } END { print t + 0 }' <(echo "$1") <(echo "$2")
}
served() { sql "$DB" -e "$1"; }
locks() { served "SELECT COUNT(*) FROM group_buy_order_list"; }
settled() { served "SELECT COUNT(*) FROM group_buy_order_list WHERE status = 1"; }
fixed() { # fixed <scenario> <requests>: that many answers, THREADS threads at CONNS connections
  local target=$(( $(locks) + $2 ))
  BENCH_SCENARIO=$1 BENCH_N_PER_THREAD=$(($2 / THREADS)) \
    run_until locks "$target" -t$THREADS -c"$CONNS" -d600s -s "$BENCH_DIR/fixed_n.lua" "$URL"
}
settle_orders() { # full teams' locked orders, grouped by team, at most $1
  served "SELECT l.user_id, l.out_trade_no FROM group_buy_order_list l JOIN group_buy_order o ON o.team_id = l.team_id
          WHERE l.status = 0 AND o.lock_count = o.target_count ORDER BY l.team_id LIMIT $1" > "$WORK/orders.txt"
}
settle_run() { # settles every order in orders.txt (settle.lua stops a thread when its share is used up)
  local target=$(( $(settled) + $(wc -l < "$WORK/orders.txt") ))
  BENCH_ORDERS="$WORK/orders.txt" BENCH_THREADS=$THREADS \
    run_until settled "$target" -t$THREADS -c"$CONNS" -d600s -s "$BENCH_DIR/settle.lua" "$URL"
}
# window <label> <scenario> <count-function> <run...>: the counts of one window.
window() {
  local label=$1 scenario=$2 count=$3 c0 c1 a0 a1 t0 t1 w0 w1 tw0 tw1 errs alloc
  shift 3
  sleep 2
  jcmd "$APP" JFR.start name=alloc settings="$BENCH_DIR/alloc.jfc" >/dev/null
  sleep 2
  c0=$($count); a0=$(cpu_ticks "$APP"); t0=$(thread_ticks "http-nio-")
  w0=$(app_syscw); tw0=$(thread_syscw "http-nio-")
  errs=$("$@")
  sleep 3 # the group-commit writer's last batch
  a1=$(cpu_ticks "$APP"); t1=$(thread_ticks "http-nio-"); c1=$($count)
  w1=$(app_syscw); tw1=$(thread_syscw "http-nio-")
  sleep 1
  jcmd "$APP" JFR.stop name=alloc filename="$WORK/$label-$scenario-alloc.jfr" >/dev/null
  alloc=$(jfr print --json --events jdk.ThreadAllocationStatistics "$WORK/$label-$scenario-alloc.jfr" \
    | python3 "$BENCH_DIR/jfr_thread_alloc.py" "$PORT")
  local n=$((c1 - c0)) rb ab
  rb=$(echo "$alloc" | grep -o 'request_threads=[0-9]*' | cut -d= -f2)
  ab=$(echo "$alloc" | grep -o 'all_threads=[0-9]*' | cut -d= -f2)
  say "$label $scenario requests=$n $errs app_cpu_ms=$(echo "($a1-$a0)*1000/$HZ/$n" | bc -l | xargs printf '%.4f') tomcat_threads_cpu_ms=$(echo "$(ticks_delta "$t0" "$t1")*1000/$HZ/$n" | bc -l | xargs printf '%.4f') request_thread_bytes=$((rb / n)) app_bytes=$((ab / n)) app_syscw=$(echo "($w1-$w0)/$n" | bc -l | xargs printf '%.3f') tomcat_threads_syscw=$(echo "$(ticks_delta "$tw0" "$tw1")/$n" | bc -l | xargs printf '%.3f') load=\"$(load)\""
}

say "# edge counts $(date -u +%FT%TZ); N=$N per window, CONNS=$CONNS, ROUNDS=$ROUNDS; jars: $JARS; load $(load)"
for spec in $JARS; do say "# ${spec%%=*}: $(unzip -p "${spec#*=}" META-INF/MANIFEST.MF 2>/dev/null | grep -i '^Implementation-Version' | tr -d '\r' || true) $(sha1sum "${spec#*=}" | cut -c1-12)"; done
start_private_mariadb
start_private_redis
for round in $(seq 1 "$ROUNDS"); do
  for spec in $JARS; do
    label=${spec%%=*} JAR=${spec#*=} DB="${DB_PREFIX:-gbm_ec}_$label"
    sql -e "DROP DATABASE IF EXISTS $DB; CREATE DATABASE $DB CHARACTER SET utf8mb4"
    redis-cli -p "$REDISPORT" FLUSHALL >/dev/null
    start_app "$WORK/$label-$round.log" 180 -Xms1g -Xmx1g -XX:+UseG1GC -XX:FlightRecorderOptions:stackdepth=256 -- \
      --spring.data.redis.port="$REDISPORT" --spring.datasource.url="$(jdbc_url "$DBPORT" "$DB")" \
      --gbm.redis.key-prefix="ec:" --logging.level.com.groupbuy.market=WARN --xxl.job.executor.enabled=false \
      --gbm.notify.local-scheduler-enabled=false --gbm.timeout.local-scheduler-enabled=false \
      --gbm.notify.retention.local-scheduler-enabled=false --gbm.mq.refund-consumer.enabled=false ${APP_ARGS:-}
    seed_bench_goods "$DB"
    for _ in $(seq 1 "$WARM"); do fixed lock_open "$N" >/dev/null; fixed lock_join "$N" >/dev/null; done
    settle_orders "$N"; settle_run >/dev/null
    say "# round $round $label: warmed ($WARM x $N lock_open + lock_join, $(wc -l < "$WORK/orders.txt") settlements); load $(load)"
    window "$label" lock_open locks fixed lock_open "$N"
    fixed lock_join $((N * 3 / 2)) >/dev/null
    settle_orders "$N"
    window "$label" settle settled settle_run
    if [ "${PROFILE:-0}" = 1 ]; then
      jcmd "$APP" JFR.start name=edge settings="$BENCH_DIR/edge.jfc" >/dev/null
      fixed lock_open "$N" >/dev/null
      jcmd "$APP" JFR.stop name=edge filename="$WORK/$label-$round-lock_open.jfr" >/dev/null
      jfr print --stack-depth 256 --events jdk.ExecutionSample "$WORK/$label-$round-lock_open.jfr" > "$WORK/$label-$round-lock_open-cpu.txt"
      say "# profile: $WORK/$label-$round-lock_open-cpu.txt"
    fi
    stop_app
    sql -e "DROP DATABASE IF EXISTS $DB"
  done
done
say "# done $(date -u +%FT%TZ); recordings in $WORK"
