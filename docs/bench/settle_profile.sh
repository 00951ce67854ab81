#!/usr/bin/env bash
# Where a settlement's CPU goes, load-independently (issue 19, branch settlecpu):
#   bash docs/bench/settle_profile.sh        (CONNS=64, DURATION=30s, JFR_PERIOD="2 ms" by default; SETTLE_COUNT below)
# Prepares full teams the way run.sh does (lock rounds at 64 connections, an unmeasured lock_join fill, a settle
# warm-up round), then settles them with wrk (settle.lua) while recording:
#   - a JFR profile (jdk.ExecutionSample only, every JFR_PERIOD), summarised by docs/bench/jfr_top.py (self,
#     inclusive, nearest own frame, by thread, by library);
#   - the CPU of every app thread (/proc/<pid>/task/*/stat, utime + stime), grouped by thread name with the digits
#     taken out, as shares of the app's CPU in the window: what runs outside the HTTP request threads;
#   - the bytes every thread allocated in the window (jdk.ThreadAllocationStatistics), per settlement;
#   - the private MariaDB's statement counters and the private redis-server's commands per settlement, and the
#     outbox work the settlements caused (callback tasks written and delivered, attempts, claims).
# The window is wrk's run, as in run.sh (which divides the app's CPU in it by the settlements): background work in it
# (the completing settlements' deliveries, the compensation job, the close-check relay) is counted, by thread.
# Not a timing benchmark: the req/s wrk prints is not kept; counts and shares do not depend on the machine's speed
# (much). Private MariaDB (port DBPORT, fresh data dir), private redis-server, close checks on queues of their own on
# the local RabbitMQ (deleted at the end); otherwise the app runs as in run.sh (prod jar, dev profile, WARN, XXL
# executor off, local compensation job every 1 s). Writes docs/bench/results/<date>-<commit>-settle-profile*.txt.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BENCH_DIR="$ROOT/docs/bench"
export BENCH_DIR
CONNS=${CONNS:-64}
DURATION=${DURATION:-30s}
JFR_PERIOD=${JFR_PERIOD:-2 ms}
DBPORT=${DBPORT:-3397}
REDISPORT=${REDISPORT:-6397}
PORT=${PORT:-18094}
LOCK_ROUNDS=${LOCK_ROUNDS:-4}
TAG=${TAG:-}
JFR_TOP=${JFR_TOP:-$BENCH_DIR/jfr_top.py}
# KEEP=<dir>: the recording and its printed samples are copied there (they are large; not for the repository).
KEEP=${KEEP:-}
PREFIX="settleprof$$:"
QUEUES="gbm_settleprof_$$"
URL="http://127.0.0.1:$PORT"
THREADS=2
export BENCH_THREADS=$THREADS
STAMP="$(date -u +%Y%m%d-%H%M)-$(git -C "$ROOT" rev-parse --short HEAD)-settle-profile${TAG:+-$TAG}"
OUT="$BENCH_DIR/results/$STAMP.txt"
WORK=$(mktemp -d /tmp/gbm-settle-profile.XXXXXX)
mkdir -p "$BENCH_DIR/results"

. "$BENCH_DIR/lib.sh"
CLEAN_QUEUES=$QUEUES
trap bench_cleanup EXIT
trap 'exit 1' INT TERM
# The completing settlements' callbacks go to a partner's receiver in a process of its own (NotifyReceiver.java), not
# into the app: its CPU is the partner's, not ours (#19, settlepath). NOTIFY_RECEIVER=app sends them to the app's own
# test receiver as before (to compare).
if [ "${NOTIFY_RECEIVER:-own}" = app ]; then
  export BENCH_NOTIFY_URL="$URL/api/v1/test/group_buy_notify"
else
  start_receiver
  export BENCH_NOTIFY_URL="$RECEIVER_URL"
fi

say "# settle profile $(date -u +%FT%TZ) commit $(git -C "$ROOT" rev-parse --short HEAD); conns=$CONNS duration=$DURATION jfr period=$JFR_PERIOD; load $(load)${APP_ARGS:+; app args: $APP_ARGS}; callbacks to $BENCH_NOTIFY_URL"
say_if_tree_differs

# DIGESTS=1: performance_schema on in the private MariaDB, and the window's statements listed per digest (calls,
# rows examined / affected, temporary tables per settlement): which statement the counters above come from.
if [ "${DIGESTS:-0}" = 1 ]; then
  start_private_mariadb --max-connections=200 --performance-schema=ON
else
  start_private_mariadb --max-connections=200
fi
sql -e "CREATE DATABASE gbm_prof CHARACTER SET utf8mb4"
start_private_redis

build_jar

private_app_args gbm_prof
# shellcheck disable=SC2086
start_app "$WORK/app.log" 180 -Xms1g -Xmx1g -XX:+UseG1GC -- "${PRIVATE_APP_ARGS[@]}" ${APP_ARGS:-}

seed_bench_goods gbm_prof

# Full teams, as run.sh makes them: lock rounds (they also warm the lock path up), then a lock_join fill.
for round in $(seq 1 "$LOCK_ROUNDS"); do
  script=lock_join.lua; [ $((round % 2)) -eq 1 ] && script=lock_open.lua
  wrk -t$THREADS -c64 -d20s -s "$BENCH_DIR/$script" "$URL" >/dev/null
done
wrk -t$THREADS -c64 -d"${SETTLE_FILL:-60s}" -s "$BENCH_DIR/lock_join.lua" "$URL" >/dev/null
settle_orders() {
  sql gbm_prof -e "SELECT l.user_id, l.out_trade_no FROM group_buy_order_list l JOIN group_buy_order o ON o.team_id = l.team_id
              WHERE l.status = 0 AND o.lock_count = o.target_count ORDER BY l.team_id LIMIT ${1:-200000}" > "$WORK/orders.txt"
}
settle_orders
BENCH_ORDERS="$WORK/orders.txt" wrk -t$THREADS -c64 -d"${SETTLE_WARMUP:-20s}" -s "$BENCH_DIR/settle.lua" "$URL" >/dev/null
# As in run.sh, the window starts right after the warm-up: whatever the lock rounds left undelivered (close checks
# the relay left to the compensation job, say) is worked off in it, and is counted below.
# SETTLE_COUNT=<n>: the window settles that many orders (the first n of full teams, by team) and ends when they are
# done, rather than when DURATION ends (set DURATION long enough): CPU per settlement over a fixed number of them.
settle_orders "${SETTLE_COUNT:-200000}"
say "# $(wc -l < "$WORK/orders.txt") orders of full teams available; outbox tasks not yet delivered at the window's start: $(sql gbm_prof -e "SELECT CONCAT(notify_category, ':', COUNT(*)) FROM notify_task WHERE notify_status <> 1 GROUP BY notify_category" | tr '\n' ' ')"

COUNTERS="Questions Com_select Com_insert Com_update Com_update_multi Com_delete Com_begin Com_commit Com_rollback Com_set_option
  Innodb_log_writes Innodb_data_fsyncs Innodb_rows_read Created_tmp_tables Created_tmp_disk_tables Handler_read_key
  Handler_read_next Handler_read_rnd Handler_read_rnd_next Handler_tmp_write Handler_write Handler_update
  Handler_delete Handler_icp_attempts Innodb_buffer_pool_write_requests"
COUNTERS=$(echo $COUNTERS)
# The server's counters and Redis's commands: read right at the window's edges. SHOW GLOBAL STATUS has a cost of its
# own in the counters it reads (its temporary table: Created_tmp_tables 1, Handler_tmp_write/read_rnd_next ~560), so
# it is read twice in a row before the window and that one SHOW's difference in those counters is taken off the
# window's (the window holds exactly one SHOW: its closing one).
status() {
  sql -e "SHOW GLOBAL STATUS" | awk -v want=" $COUNTERS " 'index(want, " " $1 " ") {print $1, $2}'
  redis-cli -p "$REDISPORT" INFO commandstats | tr -d '\r' | awk -F'[:=,]' '/^cmdstat_/ {sub("cmdstat_", "redis_", $1); print $1, $3}'
}
# The tables' counts (orders paid: the divisor; outbox tasks and attempts): read OUTSIDE the counted window, before its
# opening SHOW and after its closing one. They read the tables' rows (COUNT(*) over group_buy_order_list and the
# outbox), which counted as 17-25 Handler_read_next per settlement when they ran inside the window (#19, dbwork).
tallies() {
  sql gbm_prof -e "SELECT 'orders_paid', COUNT(*) FROM group_buy_order_list WHERE status = 1
    UNION ALL SELECT 'teams_complete', COUNT(*) FROM group_buy_order WHERE status = 1
    UNION ALL SELECT CONCAT('tasks_', notify_category, '_status', notify_status), COUNT(*) FROM notify_task GROUP BY notify_category, notify_status
    UNION ALL SELECT 'attempts', COUNT(*) FROM notify_attempt" | tr '\t' ' '
}
threads() { # tid ticks name, in one awk over every thread's stat (a process per thread took minutes at load 30)
  awk '{
    i = index($0, "("); j = 0
    for (k = length($0); k > i; k--) if (substr($0, k, 1) == ")") { j = k; break }
    split(substr($0, j + 2), f, " ")
    printf "%s\t%s\t%s\n", $1, f[12] + f[13], substr($0, i + 1, j - i - 1)
  }' /proc/"$APP"/task/*/stat 2>/dev/null || true
}
cat >"$WORK/samples.jfc" <<JFC
<?xml version="1.0" encoding="UTF-8"?>
<configuration version="2.0" label="samples">
  <event name="jdk.ExecutionSample"><setting name="enabled">true</setting><setting name="period">$JFR_PERIOD</setting></event>
  <event name="jdk.ThreadAllocationStatistics"><setting name="enabled">true</setting><setting name="period">everyChunk</setting></event>
</configuration>
JFC

DBPID=$(mariadb_pid)
rcv_ticks() { if [ -n "${RECEIVER:-}" ]; then cpu_ticks "$RECEIVER"; else echo 0; fi; }
tallies >"$WORK/k0"; [ "${DIGESTS:-0}" = 1 ] && sql -e "TRUNCATE performance_schema.events_statements_summary_by_digest"
status >"$WORK/s_idle"; status >"$WORK/c0"; threads >"$WORK/t0"; a0=$(cpu_ticks "$APP"); d0=$(cpu_ticks "$DBPID"); r0=$(rcv_ticks); n0=$(receiver_count)
jcmd "$APP" JFR.start name=settle settings="$WORK/samples.jfc" filename="$WORK/settle.jfr" >/dev/null
line=$(BENCH_ORDERS="$WORK/orders.txt" wrk -t$THREADS -c"$CONNS" -d"$DURATION" --latency -s "$BENCH_DIR/settle.lua" "$URL" | grep '^RESULT' || echo "RESULT failed")
jcmd "$APP" JFR.stop name=settle >/dev/null
status >"$WORK/c1"; threads >"$WORK/t1"; a1=$(cpu_ticks "$APP"); d1=$(cpu_ticks "$DBPID"); r1=$(rcv_ticks)
[ "${DIGESTS:-0}" = 1 ] && sql -e "SELECT COUNT_STAR, SUM_ROWS_EXAMINED, SUM_ROWS_AFFECTED, SUM_CREATED_TMP_TABLES, SUM_SORT_ROWS, LEFT(REGEXP_REPLACE(DIGEST_TEXT, '[[:space:]]+', ' '), 170)
  FROM performance_schema.events_statements_summary_by_digest WHERE SCHEMA_NAME = 'gbm_prof' OR DIGEST_TEXT LIKE 'COMMIT%' OR DIGEST_TEXT LIKE 'SET%' ORDER BY COUNT_STAR DESC LIMIT 40" >"$WORK/digests"
tallies >"$WORK/k1"; sleep 1; n1=$(receiver_count)
say "# outbox tasks not yet delivered at the window's end: $(sql gbm_prof -e "SELECT CONCAT(notify_category, ':', COUNT(*)) FROM notify_task WHERE notify_status <> 1 GROUP BY notify_category" | tr '\n' ' ')"
say "# wrk: $(echo "${line#RESULT }" | sed 's/rps=[^ ]* p50_ms=[^ ]* p99_ms=[^ ]* //')"

# Per settlement = per order that became paid in the window. The server's counters: the window's difference; the three
# counters a SHOW's temporary table moves less one SHOW's own (s_idle -> c0: ~1, ~562, ~563; the app's background work
# in those milliseconds also lands there, so they read a little low when the compensation job is busy); the tables'
# counts are read outside the window (tallies).
paid=$(( $(awk '$1 == "orders_paid" {print $2}' "$WORK/k1") - $(awk '$1 == "orders_paid" {print $2}' "$WORK/k0") ))
say "# one SHOW GLOBAL STATUS's own counts (taken off below): $(paste -d' ' "$WORK/s_idle" "$WORK/c0" | awk '$4 != $2 && $1 !~ /^redis_/ {printf "%s=%d ", $1, $4 - $2}')"
say "settle_counts settlements=$paid $( { sed 's/^/i /' "$WORK/s_idle"; sed 's/^/b /' "$WORK/c0"; sed 's/^/a /' "$WORK/c1"; sed 's/^/kb /' "$WORK/k0"; sed 's/^/ka /' "$WORK/k1"; } | awk -v n="$paid" '
  $1 == "i" { i[$2] = $3; next }
  $1 == "b" { b[$2] = $3; next }
  $1 == "a" { a[$2] = $3; next }
  $1 == "kb" { kb[$2] = $3; next }
  $1 == "ka" { ka[$2] = $3; next }
  END {
    for (k in a) {
      if (k == "redis_info") continue
      d = a[k] - b[k] - (k ~ /^(Created_tmp_tables|Handler_tmp_write|Handler_read_rnd_next)$/ ? b[k] - i[k] : 0)
      if (d == 0) continue
      printf "%s=%.3f\n", k, d / n
    }
    for (k in ka) {
      if (k == "orders_paid") continue
      d = ka[k] - kb[k]
      if (d == 0) continue
      printf "%s=%.3f\n", k, d / n
    }
  }' | sort | tr '\n' ' ')"
if [ "${DIGESTS:-0}" = 1 ]; then
  say "# statements in the window per settlement (performance_schema digests; the script's own SHOW and COUNTs are outside or taken off): calls rows_examined rows_affected tmp_tables sort_rows digest"
  awk -F'\t' -v n="$paid" '{printf "  %7.3f %7.3f %7.3f %7.3f %7.3f  %s\n", $1/n, $2/n, $3/n, $4/n, $5/n, $6}' "$WORK/digests" | tee -a "$OUT"
fi
hz=$(getconf CLK_TCK)
say "settle_cpu app_cpu_ms_per_settlement=$(echo "($a1 - $a0) * 1000 / $hz / $paid" | bc -l | xargs printf '%.3f') db_cpu_ms_per_settlement=$(echo "($d1 - $d0) * 1000 / $hz / $paid" | bc -l | xargs printf '%.3f') receiver_cpu_ms_per_settlement=$(echo "($r1 - $r0) * 1000 / $hz / $paid" | bc -l | xargs printf '%.3f') receiver_callbacks=$((n1 - n0)) (on a shared machine: for direction only)"
say "# app threads: share of the app's CPU in the window (threads grouped by name, digits as #), and ms per settlement"
awk -F'\t' -v total="$((a1 - a0))" -v n="$paid" -v hz="$hz" '
  FNR == NR { before[$1] = $2; next }
  { name = $3; gsub(/[0-9]+/, "#", name); d = $2 - ($1 in before ? before[$1] : 0); group[name] += d; seen += d }
  END {
    for (g in group) if (group[g] > 0) printf "%6.1f%% %7.4f ms  %s\n", group[g] * 100 / total, group[g] * 1000 / hz / n, g
    printf "%6.1f%% %7.4f ms  %s\n", (total - seen) * 100 / total, (total - seen) * 1000 / hz / n, "(threads that ended in the window)"
  }' "$WORK/t0" "$WORK/t1" | sort -rn | tee -a "$OUT"

jfr print --stack-depth 100 --events jdk.ExecutionSample "$WORK/settle.jfr" >"$WORK/samples.txt"
[ -n "$KEEP" ] && mkdir -p "$KEEP" && cp "$WORK/settle.jfr" "$KEEP/$STAMP.jfr" && cp "$WORK/samples.txt" "$KEEP/$STAMP-samples.txt"
python3 "$JFR_TOP" "$WORK/samples.txt" >>"$OUT"
# Bytes allocated per settlement: each thread's exact allocation counter at both ends of the recording
# (jdk.ThreadAllocationStatistics, not sampled; docs/bench/jfr_writer.py reads them), by thread name, digits as #.
jfr print --json --events jdk.ThreadAllocationStatistics "$WORK/settle.jfr" >"$WORK/alloc.json"
python3 "$BENCH_DIR/jfr_alloc_groups.py" "$WORK/alloc.json" "$paid" settle settlement | tee -a "$OUT"
say "# raw results in ${OUT#$ROOT/}"
