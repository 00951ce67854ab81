#!/usr/bin/env bash
# The JVM's garbage collector and the app's thread counts, as counts per request on a small host (#19, branch
# jvmthreads). Per variant and scenario (lock_open, lock_join, settle; CONNS=64 connections, wrk for DURATION), divided
# by the requests wrk counted:
#   app_ticks    - utime + stime of the JVM (/proc/<pid>/stat), in clock ticks (CLK_TCK, 100 per second);
#   gc_ticks     - the same for the collector's threads only: "GC Thread#n", "G1 *" (G1's refinement, marking and
#                  service threads) and "VM Thread" (the Serial collector runs in it; safepoint work for all);
#   jit_ticks    - the same for the JIT compiler threads ("C1/C2 CompilerThre"): under a shared machine's load the
#                  warm-up may end before C2 settles, so app_ticks - jit_ticks (app_nojit) is the figure compared;
#   ctx          - context switches, voluntary + nonvoluntary, summed over /proc/<pid>/task/*/status per thread id
#                  (a thread started within the window counts from 0, one that ended within it is lost);
#   stmts, commits - the private MariaDB's Questions and Com_commit (the lock's group commit batches concurrent
#                  locks: fewer request threads may shrink its batches);
#   threads      - the JVM's live threads at the window's end.
# Variants are lines "label;JVM options;app arguments" in VARIANTS, run one after another, alternating, ROUNDS times,
# each on a fresh database of a private MariaDB (DBPORT) and a private redis-server (REDISPORT), with -Xms1g -Xmx1g
# as docs/bench/run.sh (the variant's options come after, so a collector flag there replaces G1). The partner's
# callbacks go to docs/bench/NotifyReceiver.java (RECEIVERPORT); the close checks use queues of this script's own
# (RabbitMQ on 5672). No rate is printed: other benchmarks may share the machine.
#   VARIANTS=$'g1;-XX:+UseG1GC;\npar;-XX:+UseParallelGC;' ROUNDS=2 JAR=/tmp/x.jar bash docs/bench/jvm_threads.sh
# Writes docs/bench/results/<date>-jvm-threads[-LABEL].txt.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BENCH_DIR="$ROOT/docs/bench"
export BENCH_DIR
DURATION=${DURATION:-15s}
CONNS=${CONNS:-64}
ROUNDS=${ROUNDS:-2}
PORT=${PORT:-18202}
DBPORT=${DBPORT:-3422}
REDISPORT=${REDISPORT:-6422}
RECEIVERPORT=${RECEIVERPORT:-18212}
THREADS=2
export BENCH_THREADS=$THREADS
URL="http://127.0.0.1:$PORT"
NAME=jvmthreads
OUT="$BENCH_DIR/results/$(date -u +%Y%m%d-%H%M)-jvm-threads${LABEL:+-$LABEL}.txt"
WORK=$(mktemp -d /tmp/gbm-$NAME.XXXXXX)
CLEAN_QUEUES="${NAME}_"
mkdir -p "$BENCH_DIR/results"
. "$BENCH_DIR/lib.sh"
trap bench_cleanup EXIT
trap 'exit 1' INT TERM

# Per thread of the app: "tid ticks ctx kind" (kind 1 for a collector thread, 2 for a JIT compiler thread). The thread name is read from comm, the
# ticks after the "(comm)" field of stat (names have spaces).
thread_table() {
  local d name gc
  for d in /proc/$APP/task/*; do
    name=$(cat "$d/comm" 2>/dev/null) || continue
    case "$name" in "GC Thread"* | "G1 "* | "VM Thread") gc=1 ;; C1\ Compiler* | C2\ Compiler*) gc=2 ;; *) gc=0 ;; esac
    echo "${d##*/} $(sed 's/^.*) //' "$d/stat" 2>/dev/null | awk '{print $12 + $13}') $(awk '/ctxt_switches/ {s += $2} END {print s + 0}' "$d/status" 2>/dev/null) $gc"
  done
}
# The per-thread differences summed: "ctx gc_ticks jit_ticks".
table_delta() {
  awk 'NR == FNR { c[$1] = $3; t[$1] = $2; next }
       { ctx += $3 - ($1 in c ? c[$1] : 0); d = $2 - ($1 in t ? t[$1] : 0); if ($4 == 1) gc += d; if ($4 == 2) jit += d }
       END { print ctx + 0, gc + 0, jit + 0 }' <(echo "$1") <(echo "$2")
}
# "Questions Com_commit" (SHOW STATUS lists them alphabetically, so they are picked by name).
status_of() {
  sql -e "SHOW GLOBAL STATUS WHERE Variable_name IN ('Questions', 'Com_commit')" \
    | awk '{v[$1] = $2} END {print v["Questions"], v["Com_commit"]}'
}

# window <scenario> <lua> [env...]: one measured wrk run.
window() {
  local scenario=$1 script=$2 a0 a1 t0 t1 s0 s1 line n
  sleep 2
  a0=$(cpu_ticks "$APP"); t0=$(thread_table); s0=$(status_of)
  line=$(wrk -t$THREADS -c"$CONNS" -d"$DURATION" -s "$BENCH_DIR/$script" "$URL" | grep '^RESULT' || echo "RESULT requests=0")
  sleep 2 # the group-commit writer's last batch, the relay's last page
  a1=$(cpu_ticks "$APP"); t1=$(thread_table); s1=$(status_of)
  n=$(echo "$line" | grep -o 'requests=[0-9]*' | cut -d= -f2)
  [ "$n" -gt 0 ] || { say "$label $scenario failed: $line"; return; }
  read -r ctx gc jit <<<"$(table_delta "$t0" "$t1")"
  read -r q0 c0 <<<"$s0"
  read -r q1 c1 <<<"$s1"
  say "$label $scenario round=$round requests=$n $(echo "$line" | grep -o 'http_errors=[0-9]* business_errors=[0-9]*') app_ticks=$(echo "($a1-$a0)/$n" | bc -l | xargs printf '%.4f') app_nojit=$(echo "($a1-$a0-$jit)/$n" | bc -l | xargs printf '%.4f') jit_ticks=$(echo "$jit/$n" | bc -l | xargs printf '%.4f') gc_ticks=$(echo "$gc/$n" | bc -l | xargs printf '%.4f') ctx=$(echo "$ctx/$n" | bc -l | xargs printf '%.2f') stmts=$(echo "($q1-$q0)/$n" | bc -l | xargs printf '%.2f') commits=$(echo "($c1-$c0)/$n" | bc -l | xargs printf '%.3f') threads=$(ls /proc/$APP/task | wc -l) load=\"$(load)\""
}
relay_drained() {
  local left
  for _ in $(seq 1 60); do
    left=$(sql "$DB" -e "SELECT COUNT(*) FROM notify_task WHERE notify_type = 'DELAY' AND notify_status IN (0, 2)")
    [ "$left" -eq 0 ] && return
    sleep 1
  done
}
settle_orders() {
  sql "$DB" -e "SELECT l.user_id, l.out_trade_no FROM group_buy_order_list l JOIN group_buy_order o ON o.team_id = l.team_id
                WHERE l.status = 0 AND o.lock_count = o.target_count ORDER BY l.team_id LIMIT 200000" >"$WORK/orders.txt"
}

say "# jvm/threads counts $(date -u +%FT%TZ) commit $(git -C "$ROOT" rev-parse --short HEAD); $(nproc) cores; CONNS=$CONNS DURATION=$DURATION ROUNDS=$ROUNDS; jar $(sha1sum "$JAR" | cut -c1-12); load $(load)"
say "# variants: $(echo "$VARIANTS" | tr '\n' '|')"
start_private_mariadb
start_private_redis
start_receiver
export BENCH_NOTIFY_URL="$RECEIVER_URL"
mapfile -t variants <<<"$VARIANTS"
for round in $(seq 1 "$ROUNDS"); do
  for variant in "${variants[@]}"; do
    [ -n "$variant" ] || continue
    IFS=';' read -r label jvm args <<<"$variant"
    DB="gbm_${NAME}_$label"
    sql -e "DROP DATABASE IF EXISTS $DB; CREATE DATABASE $DB CHARACTER SET utf8mb4"
    redis-cli -p "$REDISPORT" FLUSHALL >/dev/null
    q="${NAME}_close_$label"
    # shellcheck disable=SC2086
    start_app "$WORK/$label-$round.log" 180 -Xms1g -Xmx1g $jvm -- \
      --spring.data.redis.port="$REDISPORT" --spring.datasource.url="$(jdbc_url "$DBPORT" "$DB")" \
      --gbm.redis.key-prefix="$NAME:" --logging.level.com.groupbuy.market=WARN --xxl.job.executor.enabled=false \
      --gbm.notify.local-scheduler-delay=1s --gbm.mq.refund-consumer.enabled=false \
      --gbm.close-check.queue="$q" --gbm.close-check.dead-letter-queue="$q.dead" \
      --gbm.close-check.lane-prefix="$q.delay." $args
    seed_bench_goods "$DB"
    WARMUP_ROUNDS=${WARMUP_ROUNDS:-4} warm_up 64 "${WARMUP_STEP:-15s}" "$label, %s"
    window lock_open lock_open.lua
    window lock_join lock_join.lua
    # Full teams for settlement (unmeasured), then a settle warm-up round, then the window.
    wrk -t$THREADS -c64 -d"${SETTLE_FILL:-30s}" -s "$BENCH_DIR/lock_join.lua" "$URL" >/dev/null
    relay_drained
    settle_orders
    BENCH_ORDERS="$WORK/orders.txt" wrk -t$THREADS -c64 -d10s -s "$BENCH_DIR/settle.lua" "$URL" >/dev/null
    relay_drained
    settle_orders
    say "# $label round $round: $(wc -l <"$WORK/orders.txt") orders of full teams to settle"
    BENCH_ORDERS="$WORK/orders.txt" window settle settle.lua
    stop_app
    sql -e "DROP DATABASE IF EXISTS $DB"
    delete_queues "$q"
  done
done
say "# done $(date -u +%FT%TZ)"
