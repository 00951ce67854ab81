#!/usr/bin/env bash
# The database's own work per request (issue 19, branch dbwork): rows read and written, index entries touched, redo
# bytes, per statement digest, for lock opening, lock joining and settlement:
#   bash docs/bench/db_work.sh        (CONNS=64, LOCK_DURATION=10s per lock window, SETTLE_COUNT=3000 by default)
# A private MariaDB (port DBPORT, fresh data dir, performance_schema on) and a private redis-server, close checks on
# queues of their own on the local RabbitMQ (deleted at the end); the app as in run.sh (prod jar, dev profile, WARN,
# XXL executor off, group commit of locks on, local compensation job every 1 s). Each window is counted from the
# server's own counters, divided by the requests it served:
#   - SHOW GLOBAL STATUS deltas: statements, Handler_read_* / Handler_write / Handler_update, Innodb_rows_*,
#     redo bytes (Innodb_lsn_current, Innodb_os_log_written), pages written;
#   - performance_schema.events_statements_summary_by_digest (truncated at the window's start): per digest the
#     executions, rows examined, rows sent, rows affected and executions without an index, per request;
#   - performance_schema.table_io_waits_summary_by_index_usage (truncated likewise): fetches, inserts, updates and
#     deletes per table and index, per request (an insert touches every index of the table: the per-index insert
#     counts are per table, the index's own cost is in the redo bytes).
# Background work in a window (the close-check relay, the callbacks' delivery) is counted with it: it is the
# requests' own. Not a timing benchmark: wrk's rates are not kept. Writes
# docs/bench/results/<date>-<commit>-db-work${TAG}.txt.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BENCH_DIR="$ROOT/docs/bench"
export BENCH_DIR
CONNS=${CONNS:-64}
LOCK_DURATION=${LOCK_DURATION:-10s}
SETTLE_COUNT=${SETTLE_COUNT:-3000}
DBPORT=${DBPORT:-3422}
REDISPORT=${REDISPORT:-6422}
PORT=${PORT:-18202}
TAG=${TAG:-}
PREFIX="dbwork$$:"
QUEUES="gbm_dbwork_$$"
URL="http://127.0.0.1:$PORT"
export BENCH_NOTIFY_URL="$URL/api/v1/test/group_buy_notify"
THREADS=2
export BENCH_THREADS=$THREADS
OUT="$BENCH_DIR/results/$(date -u +%Y%m%d-%H%M)-$(git -C "$ROOT" rev-parse --short HEAD)-db-work$([ "${SEQ:-0}" -gt 0 ] && echo -seq)${TAG:+-$TAG}.txt"
WORK=$(mktemp -d /tmp/gbm-db-work.XXXXXX)
mkdir -p "$BENCH_DIR/results"

. "$BENCH_DIR/lib.sh"
CLEAN_QUEUES=$QUEUES
trap bench_cleanup EXIT
trap 'exit 1' INT TERM

say "# db work per request $(date -u +%FT%TZ) commit $(git -C "$ROOT" rev-parse --short HEAD); seq=${SEQ:-0} conns=$CONNS lock window=$LOCK_DURATION settle count=$SETTLE_COUNT; load $(load)"
say_if_tree_differs

start_private_mariadb --max-connections=200 --performance-schema=ON \
  --performance-schema-consumer-events-statements-current=OFF \
  --performance-schema-consumer-events-statements-history=OFF
sql -e "CREATE DATABASE gbm_dbw CHARACTER SET utf8mb4"
start_private_redis
build_jar

# shellcheck disable=SC2086
# SEQ=N: N sequential requests per scenario instead (N team openings, 2N joins, 3N settlements, as statements.sh),
# with the local schedulers (compensation job, timeout job, place reconciler, retention) off: nothing but the
# requests and what they set off (the close-check relay, the completing settlement's delivery) talks to the
# database, so the counts per request are the requests' own and do not move with the machine's speed.
SEQ=${SEQ:-0}
SCHEDULERS=()
[ "$SEQ" -gt 0 ] && SCHEDULERS=(--gbm.notify.local-scheduler-enabled=false --gbm.timeout.local-scheduler-enabled=false
  --gbm.notify.retention.local-scheduler-enabled=false)
private_app_args gbm_dbw
start_app "$WORK/app.log" 180 -Xms1g -Xmx1g -XX:+UseG1GC -- "${PRIVATE_APP_ARGS[@]}" "${SCHEDULERS[@]}" ${APP_ARGS:-}
seed_bench_goods gbm_dbw

COUNTERS="Questions Com_select Com_insert Com_update Com_update_multi Com_delete Com_commit Com_rollback Com_set_option
 Handler_read_first Handler_read_key Handler_read_last Handler_read_next Handler_read_prev Handler_read_rnd
 Handler_read_rnd_next Handler_write Handler_update Handler_delete Handler_tmp_write Handler_icp_attempts
 Innodb_rows_read Innodb_rows_inserted Innodb_rows_updated Innodb_rows_deleted Innodb_lsn_current
 Innodb_os_log_written Innodb_pages_written Innodb_buffer_pool_write_requests Innodb_log_writes Innodb_data_fsyncs"
COUNTERS=$(echo $COUNTERS)
counters() { sql -e "SHOW GLOBAL STATUS" | awk -v want=" $COUNTERS " 'index(want, " " $1 " ") {print $1, $2}'; }
# What the window's requests did, from performance_schema (no COUNT(*) over the tables: that read every row of them
# and was counted with the window): rows inserted into and updated in a table, summed over its indexes' lines.
table_io() { # <table> <INSERT|UPDATE>
  sql -e "SELECT IFNULL(SUM(COUNT_$2), 0) FROM performance_schema.table_io_waits_summary_by_index_usage
          WHERE OBJECT_SCHEMA = 'gbm_dbw' AND OBJECT_NAME = '$1'"
}
reset_ps() {
  sql -e "TRUNCATE performance_schema.events_statements_summary_by_digest;
          TRUNCATE performance_schema.table_io_waits_summary_by_index_usage"
}
# window <name> <unit: locks|settlements|seconds> <command ...>
window() {
  local name=$1 unit=$2 n
  shift 2
  sleep 3
  reset_ps
  counters >"$WORK/c0"
  "$@" >/dev/null
  sleep 3 # the relay and the delivery finish what the window's requests queued
  counters >"$WORK/c1"
  case $unit in
    locks) n=$(table_io group_buy_order_list INSERT) ;;
    settlements) n=$(table_io group_buy_order_list UPDATE) ;;
    *) n=1 ;;
  esac
  [ "$n" -gt 0 ] || n=1
  say ""
  say "== $name: $n $unit; teams opened $(table_io group_buy_order INSERT), order rows updated $(table_io group_buy_order_list UPDATE), team rows updated $(table_io group_buy_order UPDATE)"
  say "$name counters $(join <(sort "$WORK/c0") <(sort "$WORK/c1") | awk -v n="$n" -v order="$COUNTERS" '
    { d[$1] = $3 - $2 }
    END { k = split(order, names, " "); for (i = 1; i <= k; i++) printf "%s=%.2f ", names[i], d[names[i]] / n }')"
  say "# $name digests (per request: calls, rows examined, rows sent, rows affected, calls without index; by rows examined)"
  sql -e "SELECT ROUND(COUNT_STAR / $n, 2), ROUND(SUM_ROWS_EXAMINED / $n, 2), ROUND(SUM_ROWS_SENT / $n, 2),
                 ROUND(SUM_ROWS_AFFECTED / $n, 2), ROUND(SUM_NO_INDEX_USED / $n, 2),
                 LEFT(REGEXP_REPLACE(DIGEST_TEXT, '[[:space:]]+', ' '), 230)
          FROM performance_schema.events_statements_summary_by_digest
          WHERE SCHEMA_NAME = 'gbm_dbw' AND COUNT_STAR > 0
          ORDER BY SUM_ROWS_EXAMINED DESC, COUNT_STAR DESC LIMIT 25" | tee -a "$OUT"
  say "# $name index usage (per request: fetch, insert, update, delete; INDEX_NAME NULL = rows read without an index)"
  sql -e "SELECT OBJECT_NAME, IFNULL(INDEX_NAME, '(none)'), ROUND(COUNT_FETCH / $n, 2), ROUND(COUNT_INSERT / $n, 2),
                 ROUND(COUNT_UPDATE / $n, 2), ROUND(COUNT_DELETE / $n, 2)
          FROM performance_schema.table_io_waits_summary_by_index_usage
          WHERE OBJECT_SCHEMA = 'gbm_dbw' AND COUNT_STAR > 0 ORDER BY OBJECT_NAME, INDEX_NAME" | tee -a "$OUT"
}

lock_run() { wrk -t$THREADS -c"$CONNS" -d"$LOCK_DURATION" -s "$BENCH_DIR/$1" "$URL"; }
settle_run() { BENCH_ORDERS="$WORK/orders.txt" wrk -t$THREADS -c"$CONNS" -d120s -s "$BENCH_DIR/settle.lua" "$URL"; }
settle_orders() {
  sql gbm_dbw -e "SELECT l.user_id, l.out_trade_no FROM group_buy_order_list l JOIN group_buy_order o ON o.team_id = l.team_id
              WHERE l.status = 0 AND o.lock_count = o.target_count ORDER BY l.team_id LIMIT $1" > "$WORK/orders.txt"
}

if [ "$SEQ" -gt 0 ]; then
  post() { curl -s -o "$WORK/answer" "$URL$1" -H 'Content-Type: application/json' -d "$2"; }
  lock() { post /api/v1/gbm/trade/lock_market_pay_order "{\"userId\":\"$1\",\"teamId\":\"$2\",\"activityId\":900001,\"goodsId\":\"bench01\",\"source\":\"s01\",\"channel\":\"c01\",\"outTradeNo\":\"out-$1\",\"notifyConfigVO\":{\"notifyType\":\"HTTP\",\"notifyUrl\":\"$BENCH_NOTIFY_URL\"}}"; }
  settle() { post /api/v1/gbm/trade/settlement_market_pay_order "{\"source\":\"s01\",\"channel\":\"c01\",\"userId\":\"$1\",\"outTradeNo\":\"out-$1\",\"outTradeTime\":\"$(TZ=Asia/Shanghai date '+%F %T')\"}"; }
  ok() { grep -q '"code":"0000"' "$WORK/answer" || { echo "unexpected answer: $(cat "$WORK/answer")" >&2; exit 1; }; }
  opens() { : >"$WORK/teams.$1"; for i in $(seq 1 "$SEQ"); do lock "$1a$i" ""; ok; grep -o '"teamId":"[0-9A-Za-z]*"' "$WORK/answer" | cut -d'"' -f4 >>"$WORK/teams.$1"; done; }
  joins() { local i=0 team; while read -r team; do i=$((i + 1)); lock "$1b$i" "$team"; ok; lock "$1c$i" "$team"; ok; done <"$WORK/teams.$1"; }
  settles() { for i in $(seq 1 "$SEQ"); do for who in a b c; do settle "$1$who$i"; ok; done; done; }
  opens w; joins w; settles w # warm-up, not counted
  window idle_10s seconds sleep 10
  window lock_open locks opens m
  window lock_join locks joins m
  window settle settlements settles m
else
# Warm-up (not counted): locks of both kinds, full teams, a settle round.
for script in lock_open.lua lock_join.lua lock_open.lua lock_join.lua; do lock_run "$script" >/dev/null; done
lock_run lock_join.lua >/dev/null
settle_orders 3000
settle_run >/dev/null

# The two snapshots and the app's pollers (compensation job, place reconciler, relay) with no request: per window,
# not per request (the requests' windows include the same, spread over their requests).
window idle_10s seconds sleep 10
window lock_open locks lock_run lock_open.lua
window lock_join locks lock_run lock_join.lua
lock_run lock_join.lua >/dev/null # full teams for the settle window (not counted)
settle_orders "$SETTLE_COUNT"
say "# settle window: $(wc -l < "$WORK/orders.txt") orders of full teams (a third of them complete a team)"
window settle settlements settle_run
fi

say ""
say "# plans of the hot statements (EXPLAIN with values from the tables)"
read -r U T O TEAM < <(sql gbm_dbw -e "SELECT user_id, out_trade_no, order_id, team_id FROM group_buy_order_list ORDER BY id DESC LIMIT 1")
explain() { say "## $1"; sql -t gbm_dbw -e "EXPLAIN $2" | tee -a "$OUT"; }
explain lock_lookup "SELECT (SELECT o.order_id FROM group_buy_order_list o WHERE o.user_id = '$U' AND o.out_trade_no = '$T'
  AND o.source = 's01' AND o.channel = 'c01') AS order_id, (SELECT COUNT(*) FROM group_buy_order_list t
  WHERE t.activity_id = 900001 AND t.user_id = '$U' AND t.status <> 2) AS live_takes"
explain take_place "UPDATE group_buy_order SET lock_count = lock_count + 1 WHERE team_id = '$TEAM' AND status = 0
  AND lock_count < target_count AND valid_end_time > UTC_TIMESTAMP(3)"
explain settle_query_order "SELECT l.order_id, o.team_id FROM group_buy_order_list l JOIN group_buy_order o ON o.team_id = l.team_id
  WHERE l.user_id = '$U' AND l.out_trade_no = '$T' AND l.source = 's01' AND l.channel = 'c01'"
explain settle_pay "UPDATE group_buy_order_list l STRAIGHT_JOIN group_buy_order o ON o.team_id = l.team_id SET l.status = 1,
  o.complete_count = o.complete_count + 1 WHERE l.order_id = '$O' AND l.status = 0 AND o.team_id = '$TEAM' AND o.status = 0
  AND o.complete_count + 1 < o.target_count"
explain settle_paid_out_trade_nos "SELECT out_trade_no FROM group_buy_order_list WHERE team_id = '$TEAM' AND status = 1 ORDER BY id"
explain reconciler_open_teams "SELECT id, team_id, lock_count, status, valid_end_time, update_time FROM group_buy_order
  FORCE INDEX (idx_status_end) WHERE status = 0 AND valid_end_time > UTC_TIMESTAMP(3) AND (valid_end_time > UTC_TIMESTAMP(3)
  OR (valid_end_time = UTC_TIMESTAMP(3) AND id > 0)) AND MOD(id, 1) = 0 ORDER BY valid_end_time, id LIMIT 200"
explain due_candidates "SELECT id, notify_type FROM ((SELECT id, notify_type, next_attempt_time FROM notify_task
  WHERE notify_status = 0 AND next_attempt_time <= UTC_TIMESTAMP(3) AND (claim_until IS NULL OR claim_until < UTC_TIMESTAMP(3))
  AND MOD(id, 1) = 0 ORDER BY next_attempt_time LIMIT 16) UNION ALL (SELECT id, notify_type, next_attempt_time FROM notify_task
  WHERE notify_status = 2 AND next_attempt_time <= UTC_TIMESTAMP(3) AND (claim_until IS NULL OR claim_until < UTC_TIMESTAMP(3))
  AND MOD(id, 1) = 0 ORDER BY next_attempt_time LIMIT 16)) due ORDER BY next_attempt_time, id LIMIT 16"
say "# notify_task rows by type and status at the end: $(sql gbm_dbw -e "SELECT CONCAT(notify_type, '/', notify_status, '=', COUNT(*)) FROM notify_task GROUP BY notify_type, notify_status" | tr '\n' ' ')"
say "# bytes of parameter_json per row by type: $(sql gbm_dbw -e "SELECT CONCAT(notify_type, '=', ROUND(AVG(LENGTH(parameter_json)))) FROM notify_task GROUP BY notify_type" | tr '\n' ' ')"
say ""
say "# table sizes at the end (rows, average row bytes, data and index bytes; InnoDB's estimates)"
sql -e "SELECT TABLE_NAME, TABLE_ROWS, AVG_ROW_LENGTH, DATA_LENGTH, INDEX_LENGTH FROM information_schema.TABLES
        WHERE TABLE_SCHEMA = 'gbm_dbw' AND TABLE_ROWS > 0 ORDER BY DATA_LENGTH DESC" | tee -a "$OUT"
say "# index sizes in 16 KB pages (mysql.innodb_index_stats)"
sql -e "SELECT table_name, index_name, stat_value FROM mysql.innodb_index_stats
        WHERE database_name = 'gbm_dbw' AND stat_name = 'size' ORDER BY table_name, index_name" | tee -a "$OUT"
say "# raw results in ${OUT#$ROOT/}"
