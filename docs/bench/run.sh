#!/usr/bin/env bash
# One command for the benchmarks of docs/benchmarks.md:
#   bash docs/bench/run.sh            (DURATION=30s CONNS="8 32 64" DRAIN_TASKS=100000 by default; warm-up rounds of WARMUP_STEP=20s until the
#   C2 compiler uses under WARMUP_C2_PCT=5 % of the app's CPU, at most WARMUP_ROUNDS=12;
#   LOG_LEVEL=INFO measures the shipped logging instead of WARN; APP_ARGS="--x.y=z ..." passes settings to the app (a lever
#   measured alone), JVM_ARGS="-X..." options to its JVM (after the heap and G1 defaults); LOCK=0 / SETTLE=0 / DRAIN_TASKS=0 leave those parts out)
#   AFTER_WARMUP="shell code" runs once the warm-up has ended, with $APP the app's pid (e.g. docs/bench/renice_threads.sh)
#   LOG_AB=N replaces the lock scenarios by N pairs of lock_open runs at WARN and at INFO in the same JVM, the level switched
#   through the actuator between runs (order alternating per pair), and prints the mean of each (#19's "INFO at most 10 %")
#   FRESH_TABLES=1 empties the team, order and task tables before each of those runs (none pays for earlier rows)
#   DB_BUFFER_POOL=<size> (e.g. 128M, 4G) runs the database part on a MariaDB of the bench's own (fresh data dir, that
#   InnoDB buffer pool, the shared server's 96 MB redo log, no binary log, port DBPORT=3423) instead of the shared one on
#   3306: app, ceiling and CPU readings all on it
#   INDEX_STATS=1 (with DB_BUFFER_POOL: the shared server's settings are never changed) turns MariaDB's userstat on and
#   prints after each run, per request, the rows each table's indexes returned and the index entries its writes changed
# Builds the app, starts it on the dev profile against the local MariaDB + Redis in a database of its own
# (gbm_bench, recreated), warms it up, runs wrk per scenario and connection count, measures the raw MariaDB
# ceiling with mariadb-slap at the same concurrency, and drains DRAIN_TASKS due callbacks. Prints one
# RESULT line per run and writes them to docs/bench/results/<date>-<commit>.txt.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BENCH_DIR="$ROOT/docs/bench"
export BENCH_DIR
DURATION=${DURATION:-30s}
CONNS=${CONNS:-"8 32 64"}
DRAIN_TASKS=${DRAIN_TASKS:-100000}
LOG_LEVEL=${LOG_LEVEL:-WARN}
SETTLE=${SETTLE:-1}
PORT=${PORT:-18091}
DB=gbm_bench
PREFIX="bench:"
# Close-check queues of the run's own, deleted at the end: on the default names every lock opening's check (held up to
# 10 h in the delay lane of the bench's teams) stayed in the shared broker after the run — 288,745 after three runs.
# The refund consumer's queues too: on the default names the queue stayed bound to the default internal exchange after
# the run and kept every refund event published there later (the ITs', ~600 a suite run), unread.
QUEUES="gbm_bench_$$"
CLEAN_QUEUES=$QUEUES
URL="http://127.0.0.1:$PORT"
THREADS=2
export BENCH_THREADS=$THREADS
mkdir -p "$BENCH_DIR/results"
OUT="$BENCH_DIR/results/$(date -u +%Y%m%d-%H%M)-$(git -C "$ROOT" rev-parse --short HEAD).txt"
LOG=$(mktemp -d)/app.log

. "$BENCH_DIR/lib.sh"

command -v wrk >/dev/null || { echo "wrk missing: apt-get install -y wrk" >&2; exit 1; }

# The partner's callback receiver runs in a process of its own (docs/bench/NotifyReceiver.java, plain JDK HTTP server
# answering `success`): the teams' callbacks (settlement) and the drain's go there, so the app's CPU is our service's
# alone (#19, settlepath: before, the app's own test receiver took every callback through its Spring stack, which the
# settle and drain figures counted as ours). NOTIFY_RECEIVER=app sends them to the app's test receiver as before.
trap bench_cleanup EXIT
if [ "${NOTIFY_RECEIVER:-own}" = app ]; then
  export BENCH_NOTIFY_URL="$URL/api/v1/test/group_buy_notify"
else
  start_receiver
  export BENCH_NOTIFY_URL="$RECEIVER_URL"
fi

say "# group-buy-market benchmark $(date -u +%FT%TZ) commit $(git -C "$ROOT" rev-parse --short HEAD)"
say "# machine: $(nproc) cores, $(free -g | awk '/Mem/{print $2}') GiB, $(uname -r); mariadb $(mariadb --version | grep -o 'Distrib [^,]*'); duration $DURATION"
say_if_tree_differs
# The machine may be shared (other builds, other tests): the load before and after each run goes with its numbers.
say "# load before build: $(load); logging com.groupbuy.market=$LOG_LEVEL${APP_ARGS:+; app args: $APP_ARGS}; callbacks to $BENCH_NOTIFY_URL"

build_jar

# A server of the bench's own: its CPU and counters (db_pool_reads_per_req) are the bench's alone, and its buffer pool
# can be sized apart from the shared server's (MariaDB's default 128 MB there).
if [ -n "${DB_BUFFER_POOL:-}" ]; then
  WORK=$(mktemp -d /tmp/gbm-bench.XXXXXX)
  DBPORT=${DBPORT:-3423}
  stats=(); [ "${INDEX_STATS:-0}" = 1 ] && stats=(--userstat=1)
  start_private_mariadb --innodb-buffer-pool-size="$DB_BUFFER_POOL" --innodb-log-file-size=96M --max-connections=300 \
    "${stats[@]}"
  say "# database: a MariaDB of the bench's own on $DBPORT, innodb_buffer_pool_size=$(sql -e 'SELECT @@innodb_buffer_pool_size DIV 1048576') MB"
fi
DBPORT=${DBPORT:-3306}
[ "${INDEX_STATS:-0}" = 1 ] && [ -z "${PRIVATE_DB:-}" ] && { echo "INDEX_STATS=1 needs DB_BUFFER_POOL=<size>" >&2; exit 1; }

sql -e "DROP DATABASE IF EXISTS $DB; CREATE DATABASE $DB CHARACTER SET utf8mb4"
redis-cli --scan --pattern "${PREFIX}*" | xargs -r -n 500 redis-cli del >/dev/null

# The app (and the receiver) are stopped at the end (the trap above); gbm_bench stays for a look.
# shellcheck disable=SC2086
# LOG_AB switches the level at run time: the loggers endpoint, for this run only, behind an admin token of its own.
AB_TOKEN=bench-$$-$RANDOM
[ "${LOG_AB:-0}" -gt 0 ] && APP_ARGS="${APP_ARGS:-} --management.endpoints.web.exposure.include=health,loggers --gbm.admin.token=$AB_TOKEN"
start_app "$LOG" 120 -Xms1g -Xmx1g -XX:+UseG1GC ${JVM_ARGS:-} -- --spring.datasource.url="$(jdbc_url "$DBPORT" "$DB")" \
  --gbm.redis.key-prefix="$PREFIX" --logging.level.com.groupbuy.market="$LOG_LEVEL" \
  --xxl.job.executor.enabled=false --gbm.notify.local-scheduler-delay=1s --gbm.close-check.queue="$QUEUES" \
  --gbm.close-check.dead-letter-queue="$QUEUES.dead" --gbm.close-check.lane-prefix="$QUEUES.delay." \
  --gbm.mq.refund-consumer.queue="$QUEUES.refund" --gbm.mq.refund-consumer.dead-letter-queue="$QUEUES.refund.dead" \
  ${APP_ARGS:-}
DBPID=$(if [ -n "${PRIVATE_DB:-}" ]; then mariadb_pid; else shared_mariadb_pid; fi)
# The broker's share counts too: every lock publishes its close checks to RabbitMQ's delay lanes (#15).
MQPID=$(pgrep -f beam.smp | head -1 || true)
mq_ticks() { if [ -n "$MQPID" ]; then cpu_ticks "$MQPID"; else echo 0; fi; }

seed_bench_goods $DB

measure() { # name conns script
  local name=$1 c=$2 script=$3 a0 d0 a1 d1 t0 t1 line
  a0=$(cpu_ticks $APP); d0=$(cpu_ticks "$DBPID"); m0=$(mq_ticks); t0=$(date +%s.%N); p0=$(pool_reads)
  w0=$(db_work); g0=$(gc_ms); index_stats_reset
  local l0; l0=$(load)
  line=$(wrk -t$THREADS -c"$c" -d"$DURATION" --latency -s "$BENCH_DIR/$script" "$URL" | grep '^RESULT' || echo "RESULT failed")
  t1=$(date +%s.%N); a1=$(cpu_ticks $APP); d1=$(cpu_ticks "$DBPID"); m1=$(mq_ticks); p1=$(pool_reads)
  w1=$(db_work); g1=$(gc_ms)
  local n probe; n=$(echo "$line" | grep -o 'requests=[0-9]*' | cut -d= -f2); probe=$(cpu_probe_ms)
  local hz l1; hz=$(getconf CLK_TCK); l1=$(load)
  adjacent_of "$line" "$c"
  say "$name conns=$c ${line#RESULT } app_cpu=$(echo "($a1-$a0)/$hz/($t1-$t0)*100" | bc -l | xargs printf '%.0f')% db_cpu=$(echo "($d1-$d0)/$hz/($t1-$t0)*100" | bc -l | xargs printf '%.0f')% mq_cpu=$(echo "($m1-$m0)/$hz/($t1-$t0)*100" | bc -l | xargs printf '%.0f')% cpu_ms_per_req_app_db_mq=$(echo "$line" | awk -v a=$((a1-a0)) -v d=$((d1-d0)) -v m=$((m1-m0)) -v hz="$hz" '{for(i=1;i<=NF;i++) if($i ~ /^requests=/){split($i,r,"="); n=r[2]}} END{if(n>0) printf "%.2f/%.2f/%.2f", a*1000/hz/n, d*1000/hz/n, m*1000/hz/n; else printf "-"}') db_pool_reads_per_req=$(echo "$line" | awk -v p=$((p1-p0)) '{for(i=1;i<=NF;i++) if($i ~ /^requests=/){split($i,r,"="); n=r[2]}} END{if(n>0) printf "%.2f", p/n; else printf "-"}') db_history_len=$(history_len) $(work_per_req "$w0" "$w1" "$g0" "$g1" "${n:-0}") cpu_probe_ms=$probe load_before=\"$l0\" load_after=\"$l1\"$ADJ"
  index_stats_print "$name" "$c" "${n:-0}"
}
# InnoDB's reads of pages not in its buffer pool (server-wide: on the shared server other clients' reads count too).
pool_reads() { sql -e "SHOW GLOBAL STATUS LIKE 'Innodb_buffer_pool_reads'" | awk '{print $2}'; }
# Why a later run reads slower with no pool misses (docs/benchmarks.md, "#19: why each later run reads slower"): work
# per request that grows with the rows earlier runs left shows in counts, which a busy machine does not blur — the rows
# read, the index lookups and the pages they touched (logical: a deeper B-tree costs more pages per lookup), the GC.
# A fixed single-thread job timed after each run tells whether the machine itself slowed (heat, the host's share).
# MariaDB has no Innodb_rows_read: Rows_read counts the rows every engine returned to the server.
db_work() {
  sql -e "SHOW GLOBAL STATUS WHERE Variable_name IN
    ('Rows_read', 'Handler_read_key', 'Innodb_buffer_pool_read_requests')" |
    awk '{v[$1]=$2} END{print v["Rows_read"] "," v["Handler_read_key"] "," v["Innodb_buffer_pool_read_requests"]}'
}
gc_ms() { jstat -gcutil "$APP" 2>/dev/null | awk 'NR==2{printf "%.0f", $NF*1000}'; }
work_per_req() { # db_work before, after, gc ms before, after, requests
  awk -v b="$1" -v a="$2" -v g0="${3:-0}" -v g1="${4:-0}" -v n="$5" 'BEGIN{split(b,x,","); split(a,y,",");
    if (n>0) printf "db_rows_read_per_req=%.1f db_key_lookups_per_req=%.1f db_page_lookups_per_req=%.1f " \
      "app_gc_ms_per_req=%.3f",
      (y[1]-x[1])/n, (y[2]-x[2])/n, (y[3]-x[3])/n, (g1-g0)/n;
    else printf "db_rows_read_per_req=- db_key_lookups_per_req=- db_page_lookups_per_req=- app_gc_ms_per_req=-"}'
}
# Its user CPU time, not its wall time: the neighbours' share does not count, a slower core (or time the host took
# without reporting it as steal) does.
cpu_probe_ms() {
  local TIMEFORMAT=%3U
  { time perl -e '$s=0; $s+=$_ for 1..20000000'; } 2>&1 | awk '{printf "%.0f", $1*1000}'
}
# Undo records not yet purged at the run's end: a purge falling behind the writes costs the server CPU in later runs.
# #19's next question after the tables' growth: which index a request pays for. userstat counts, per index, the rows
# it returned (INDEX_STATISTICS) and per table the rows changed times the indexes each change maintained
# (TABLE_STATISTICS); both emptied before a run, read after it, divided by its requests.
# With them, statements per request from the server's own counters (the private server counts the app's alone, and the
# bench's few reads around a run, under 20 of them).
STMT_COUNTERS="'Questions', 'Com_select', 'Com_insert', 'Com_insert_select', 'Com_update', 'Com_update_multi',
  'Com_delete', 'Com_commit', 'Com_set_option'"
stmt_counters() {
  sql -e "SHOW GLOBAL STATUS WHERE Variable_name IN ($STMT_COUNTERS)" | awk '{printf "%s=%s ", $1, $2}'
}
index_stats_reset() {
  [ "${INDEX_STATS:-0}" = 1 ] || return 0
  sql -e "FLUSH INDEX_STATISTICS; FLUSH TABLE_STATISTICS"
  STMT_BEFORE=$(stmt_counters)
}
index_stats_print() { # name conns requests
  [ "${INDEX_STATS:-0}" = 1 ] && [ "$3" -gt 0 ] || return 0
  say "# stmt_stats $1 conns=$2 $(awk -v b="$STMT_BEFORE" -v a="$(stmt_counters)" -v n="$3" 'BEGIN{
    k = split(b, x, " "); split(a, y, " ");
    for (i = 1; i <= k; i++) {
      split(x[i], p, "="); split(y[i], q, "="); printf "%s_per_req=%.2f ", p[1], (q[2]-p[2])/n
    }}')"
  sql -e "SELECT CONCAT(TABLE_NAME, '.', INDEX_NAME), ROWS_READ FROM information_schema.INDEX_STATISTICS
          WHERE TABLE_SCHEMA = '$DB' ORDER BY ROWS_READ DESC" |
    awk -v name="$1" -v c="$2" -v n="$3" '{printf "# index_stats %s conns=%s %s rows_read_per_req=%.2f\n", name, c, $1, $2/n}' |
    while read -r l; do say "$l"; done
  sql -e "SELECT TABLE_NAME, ROWS_READ, ROWS_CHANGED, ROWS_CHANGED_X_INDEXES FROM information_schema.TABLE_STATISTICS
          WHERE TABLE_SCHEMA = '$DB' ORDER BY ROWS_CHANGED_X_INDEXES DESC" |
    awk -v name="$1" -v c="$2" -v n="$3" '{printf "# table_stats %s conns=%s %s rows_read_per_req=%.2f " \
      "rows_changed_per_req=%.2f index_entries_changed_per_req=%.2f\n", name, c, $1, $2/n, $3/n, $4/n}' |
    while read -r l; do say "$l"; done
}
history_len() { sql -e "SHOW ENGINE INNODB STATUS" | grep -o 'History list length [0-9]*' | awk '{print $4}'; }
adjacent_of() { # RESULT line, conns -> sets ADJ=" ceiling_before=.. ..." when ADJACENT=1 (no subshell: it keeps LAST_CEILING)
  ADJ=""
  [ "${ADJACENT:-1}" = 1 ] || return 0
  local rate
  rate=$(echo "$1" | awk '{for(i=1;i<=NF;i++) if($i ~ /^rps=/){split($i,r,"="); print r[2]}}')
  [ -n "$rate" ] || return 0
  adjacent_ratio "$rate" "$2"
}

# The ceiling is mariadb-slap inserting at the same concurrency. It is disk-bound and swings (8,854-13,943 inserts/s
# within 13 minutes on 2026-12-02), so one reading at the start made a later scenario's ratio depend on the disk's
# mood: each scenario's ratio is taken against the mean of the readings just before and just after it (ADJACENT=1).
ceiling_value() { # conns -> inserts/s (empty when slap failed)
  local c=$1 n secs
  n=$((c * 500))
  sql -e "DROP DATABASE IF EXISTS gbm_slap"
  secs=$(mariadb-slap -uroot -h127.0.0.1 -P"$DBPORT" --protocol=TCP --create-schema=gbm_slap --concurrency="$c" --iterations=1 \
    --number-of-queries=$n --create="CREATE TABLE t (id BIGINT AUTO_INCREMENT PRIMARY KEY, v VARCHAR(32)) ENGINE=InnoDB" \
    --query="INSERT INTO t (v) VALUES ('x')" 2>/dev/null | awk '/Average number of seconds/{print $(NF-1)}')
  if [ -n "$secs" ]; then echo "$n/$secs" | bc -l | xargs printf '%.0f'; fi
}
declare -A LAST_CEILING
ceiling() { # conns
  local c=$1 v
  v=$(ceiling_value "$c")
  [ -n "$v" ] || { say "ceiling conns=$c failed"; return; }
  LAST_CEILING[$c]=$v
  say "ceiling conns=$c mariadb_slap_inserts_per_s=$v load_after=\"$(load)\""
}
# Background work a scenario leaves (close checks to publish, callbacks to send) would lower the next reading and
# flatter the ratio: wait, at most 60 s, until the app uses under 5 % of a core.
wait_app_idle() {
  local hz a0 a1
  hz=$(getconf CLK_TCK)
  for _ in $(seq 1 60); do
    a0=$(cpu_ticks $APP); sleep 1; a1=$(cpu_ticks $APP)
    [ $((a1 - a0)) -lt $((hz / 20 + 1)) ] && return
  done
  say "# app still busy after 60 s before a ceiling reading"
}
# rate conns -> sets ADJ=" ceiling_before=.. ceiling_after=.. pct_of_adjacent_ceiling=.." (reads the after-ceiling)
adjacent_ratio() {
  local rate=$1 c=$2 before after
  before=${LAST_CEILING[$c]:-}
  wait_app_idle
  after=$(ceiling_value "$c")
  [ -n "$after" ] && LAST_CEILING[$c]=$after
  if [ -n "$before" ] && [ -n "$after" ]; then
    ADJ=" ceiling_before=$before ceiling_after=$after pct_of_adjacent_ceiling=$(echo "$rate*200/($before+$after)" | bc -l | xargs printf '%.1f')"
  else
    ADJ=" ceiling_before=${before:--} ceiling_after=${after:--} pct_of_adjacent_ceiling=-"
  fi
}

# Warm-up: JIT, pools, caches. A fixed 60 s was not enough at 64 connections: the C2 compiler was still using a large
# share of the app's CPU minutes later and the first scenarios read several times slower than the same build warmed
# (2026-12-01, profile of the lock). So warm up in rounds, alternating the two lock scenarios at 64 connections,
# until C2's share of the app's CPU in a round is below WARMUP_C2_PCT (or WARMUP_ROUNDS ran out).
WARMUP_STEP=${WARMUP_STEP:-20s}
warm_up 64 "$WARMUP_STEP" "$WARMUP_STEP, %s, 64 conns"
[ -n "${AFTER_WARMUP:-}" ] && eval "$AFTER_WARMUP"

for c in $CONNS; do ceiling "$c"; done

# #19 asks the shipped INFO logging to cost at most 10 % against WARN. Runs of separate JVMs differ by more than that
# (heat, the JIT's choices, the machine's neighbours: docs/benchmarks.md, 2026-12-06), so both levels are measured in
# one warmed JVM, alternating, each run after 10 s at its level (the JIT recompiles what the level change deoptimized).
set_level() {
  curl -fs -o /dev/null -X POST -H "X-Admin-Token: $AB_TOKEN" -H 'Content-Type: application/json' \
    -d "{\"configuredLevel\":\"$1\"}" "$URL/actuator/loggers/com.groupbuy.market"
}
# FRESH_TABLES=1: every LOG_AB run starts on empty team, order and task tables, so no run pays for the rows an earlier
# one left (the A/B for "#19: why each later run reads slower"; the teams' Redis places stay, no run reuses a team).
empty_lock_tables() {
  sql $DB -e "TRUNCATE TABLE group_buy_order_list; TRUNCATE TABLE group_buy_order; TRUNCATE TABLE notify_task"
}
if [ "${LOG_AB:-0}" -gt 0 ]; then
  c=${CONNS%% *}
  for pair in $(seq 1 "$LOG_AB"); do
    order="WARN INFO"; [ $((pair % 2)) -eq 0 ] && order="INFO WARN"
    for level in $order; do
      set_level "$level"
      wrk -t$THREADS -c"$c" -d10s -s "$BENCH_DIR/lock_open.lua" "$URL" >/dev/null
      [ "${FRESH_TABLES:-0}" = 1 ] && empty_lock_tables
      ADJACENT=0 measure "lock_open_$level" "$c" lock_open.lua
    done
  done
  for level in WARN INFO; do
    say "# log_ab $level: $(grep "^lock_open_$level " "$OUT" | grep -o 'rps=[0-9.]*\|cpu_ms_per_req_app_db_mq=[0-9.]*' |
      awk -F= '/^rps/{r+=$2; n++} /^cpu/{c+=$2} END{printf "runs=%d mean_rps=%.0f mean_app_cpu_ms_per_req=%.3f", n, r/n, c/n}')"
  done
  say "# raw results in $OUT"
  exit 0
fi
[ "${LOCK:-1}" = 1 ] && for c in $CONNS; do measure lock_open "$c" lock_open.lua; done
[ "${LOCK:-1}" = 1 ] && for c in $CONNS; do measure lock_join "$c" lock_join.lua; done

# Settlement: settle every full team locked so far (grouped by team so each completes and owes one callback).
# A settle run that uses up its orders stops early and reads low, so full teams are topped up first (unmeasured).
[ "$SETTLE" = 1 ] && wrk -t$THREADS -c64 -d"${SETTLE_FILL:-60s}" -s "$BENCH_DIR/lock_join.lua" "$URL" >/dev/null
# The settle path is not warmed by the lock rounds: without a round of its own its measurement ran while C2 compiled it.
settle_orders() {
  sql $DB -e "SELECT l.user_id, l.out_trade_no FROM group_buy_order_list l JOIN group_buy_order o ON o.team_id = l.team_id
              WHERE l.status = 0 AND o.lock_count = o.target_count ORDER BY l.team_id LIMIT 200000" > "$BENCH_DIR/results/orders.txt"
}
# The fill's team openings leave close checks for the relay to publish; measured before they are out, settlement
# shares the machine with the relay and the broker (2026-12-01 14:38: RabbitMQ at 0.39 ms per settlement).
relay_drained() {
  local left
  for _ in $(seq 1 120); do
    left=$(sql $DB -e "SELECT COUNT(*) FROM notify_task WHERE notify_type = 'DELAY' AND notify_status IN (0, 2)")
    [ "$left" -eq 0 ] && return
    sleep 1
  done
  say "# $left close checks still unpublished after 120 s"
}
if [ "$SETTLE" = 1 ]; then
  relay_drained
  settle_orders
  BENCH_ORDERS="$BENCH_DIR/results/orders.txt" wrk -t$THREADS -c64 -d"${SETTLE_WARMUP:-20s}" -s "$BENCH_DIR/settle.lua" "$URL" >/dev/null
  say "# settle warmed up ${SETTLE_WARMUP:-20s} (64 conns); load $(load)"
fi
[ "$SETTLE" = 1 ] && for c in $CONNS; do
  relay_drained
  settle_orders
  say "# settle conns=$c: $(wc -l < "$BENCH_DIR/results/orders.txt") orders of full teams available"
  BENCH_ORDERS="$BENCH_DIR/results/orders.txt" measure settle "$c" settle.lua
done
rm -f "$BENCH_DIR/results/orders.txt"

# Notify drain: DRAIN_TASKS due tasks delivered by the compensation path (the local scheduler, every 1 s) to the
# partner's receiver above (its own process; the app's own test receiver with NOTIFY_RECEIVER=app).
[ "$DRAIN_TASKS" -gt 0 ] || { say "# raw results in $OUT"; exit 0; }
sleep 5; sql $DB -e "UPDATE notify_task SET notify_status = 1"
sql $DB <<SQL
INSERT INTO notify_task (task_key, webhook_id, activity_id, team_id, source, channel, notify_category, notify_type,
  notify_url, notify_count, notify_status, parameter_json, next_attempt_time)
SELECT CONCAT('drain_', seq), CONCAT('drain-', seq), 900001, LPAD(seq MOD 100000000, 8, '0'), 's01', 'c01',
  'trade_settlement', 'HTTP', '$BENCH_NOTIFY_URL', 0, 0, CONCAT('{"teamId":"', seq, '","outTradeNoList":["x"]}'),
  UTC_TIMESTAMP(3)
FROM seq_1_to_$DRAIN_TASKS;
SQL
# "Flat heap": the live heap after a full GC before and after the drain, plus the peak seen while it ran.
live_heap() { jcmd $APP GC.run >/dev/null 2>&1; sleep 1; jcmd $APP GC.heap_info 2>/dev/null | awk '/garbage-first heap/{gsub("K","",$6); print int($6/1024)}'; }
heap_start=$(live_heap)
a0=$(cpu_ticks $APP); t0=$(date +%s.%N); heap_max=0; l0=$(load)
while :; do
  left=$(sql $DB -e "SELECT COUNT(*) FROM notify_task WHERE notify_status <> 1")
  heap=$(jcmd $APP GC.heap_info 2>/dev/null | awk '/garbage-first heap/{gsub("K","",$6); print int($6/1024)}')
  [ -n "$heap" ] && [ "$heap" -gt "$heap_max" ] && heap_max=$heap
  [ "$left" -eq 0 ] && break
  [ "$(echo "$(date +%s.%N) - $t0 > 900" | bc)" -eq 1 ] && { say "drain timed out with $left left"; break; }
  sleep 1
done
t1=$(date +%s.%N); a1=$(cpu_ticks $APP)
heap_end=$(live_heap)
rate=$(echo "$DRAIN_TASKS/($t1-$t0)" | bc -l | xargs printf '%.0f')
ADJ=""; [ "${ADJACENT:-1}" = 1 ] && [ -n "${LAST_CEILING[64]:-}" ] && adjacent_ratio "$rate" 64
say "notify_drain receiver=${NOTIFY_RECEIVER:-own} tasks=$DRAIN_TASKS seconds=$(echo "$t1-$t0" | bc -l | xargs printf '%.1f') callbacks_per_s=$(echo "$DRAIN_TASKS/($t1-$t0)" | bc -l | xargs printf '%.0f') heap_used_max_mb=$heap_max live_heap_mb_before=$heap_start live_heap_mb_after=$heap_end app_cpu=$(echo "($a1-$a0)/$(getconf CLK_TCK)/($t1-$t0)*100" | bc -l | xargs printf '%.0f')% load_before=\"$l0\" load_after=\"$(load)\"$ADJ"
say "# raw results in $OUT"
