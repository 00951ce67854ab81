#!/usr/bin/env bash
# Connector/J properties against the database's and the app's CPU per request (#19, branch jdbcprep):
#   bash docs/bench/jdbc_props.sh     (VARIANTS="base sps local meta", ROUNDS=2, N=1500 answers per wrk thread)
# Each variant is a fresh app on the same private MariaDB (port DBPORT) and Redis, started with extra datasource
# properties (spring.datasource.hikari.data-source-properties.*, over application.yml's); the variants run in turn
# ROUNDS times (A B C D A B C D), so drift of the machine falls on all of them. Per variant and window, over a FIXED
# number of requests (fixed_n.lua: N answers per wrk thread, 2 threads; settlement: the orders of full teams the
# join window left, at most 3N), divided by the requests the database saw (member rows added / orders paid / callbacks
# delivered):
#   - CPU ticks (1/100 s) of mariadbd and of the app (/proc/<pid>/stat), including 3 s after the window in which
#     the close-check relay and the callbacks' delivery finish what the window's requests queued;
#   - SHOW GLOBAL STATUS deltas: Questions, Com_select/insert/update/..., Com_set_option, Com_stmt_prepare,
#     Com_stmt_execute, Com_stmt_close, Com_stmt_reprepare; Prepared_stmt_count (the server's live prepared
#     statements, a gauge) at the window's end.
# Windows: lock_open (every request opens a team), lock_join (teams of 3 filled, ~2/3 joins), settle (the join
# window's full teams paid, a third complete a team and send a callback to the receiver), drain (DRAIN_TASKS HTTP
# callbacks made due at once, claimed by the local compensation job in READ COMMITTED claim transactions, delivered
# to the receiver). The partner is docs/bench/NotifyReceiver.java in a process of its own (start_receiver).
# Not a timing benchmark. Writes docs/bench/results/<date>-<commit>-jdbc-props${TAG}.txt.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BENCH_DIR="$ROOT/docs/bench"
export BENCH_DIR
N=${N:-1500}
CONNS=${CONNS:-32}
WARMUP=${WARMUP:-"lock_open lock_join lock_open lock_join"}
ROUNDS=${ROUNDS:-2}
VARIANTS=${VARIANTS:-"base sps local meta"}
DRAIN_TASKS=${DRAIN_TASKS:-1000}
DBPORT=${DBPORT:-3423}
REDISPORT=${REDISPORT:-6423}
PORT=${PORT:-18203}
TAG=${TAG:-}
PREFIX="jdbcprops$$:"
QUEUES="gbm_jdbcprops_$$"
URL="http://127.0.0.1:$PORT"
THREADS=2
export BENCH_THREADS=$THREADS
OUT="$BENCH_DIR/results/$(date -u +%Y%m%d-%H%M)-$(git -C "$ROOT" rev-parse --short HEAD)-jdbc-props${TAG:+-$TAG}.txt"
WORK=$(mktemp -d /tmp/gbm-jdbc-props.XXXXXX)
mkdir -p "$BENCH_DIR/results"

. "$BENCH_DIR/lib.sh"
CLEAN_QUEUES=$QUEUES
trap bench_cleanup EXIT
trap 'exit 1' INT TERM

# The variants: datasource properties added to application.yml's (cachePrepStmts, prepStmtCacheSize=250,
# prepStmtCacheSqlLimit, rewriteBatchedStatements, sessionVariables, timeouts).
variant_props() {
  case $1 in
    base) echo "" ;;
    # server-side prepared statements, cached per connection (Connector/J closes the server's statement when it
    # falls out of the per-connection cache of prepStmtCacheSize)
    sps) echo "useServerPrepStmts=true" ;;
    # the session's isolation and autocommit state kept in the driver: no SELECT @@tx_isolation, and no SET for a
    # level the session already has
    local) echo "useLocalSessionState=true alwaysSendSetIsolation=false" ;;
    # result set metadata cached per statement text, the server's variables cached per URL, no timing bookkeeping
    meta) echo "cacheResultSetMetadata=true cacheServerConfiguration=true maintainTimeStats=false" ;;
    *) echo "unknown variant $1" >&2; exit 1 ;;
  esac
}

say "# jdbc properties per request $(date -u +%FT%TZ) commit $(git -C "$ROOT" rev-parse --short HEAD); jar $JAR; variants '$VARIANTS' x$ROUNDS; N=$N per thread x$THREADS conns=$CONNS drain=$DRAIN_TASKS; load $(load)"
say_if_tree_differs
for v in $VARIANTS; do say "# variant $v: $(variant_props "$v")"; done

start_private_mariadb --max-connections=300
DB=gbm_jdbcprep
sql -e "CREATE DATABASE $DB CHARACTER SET utf8mb4"
say "# max_prepared_stmt_count=$(sql -e 'SELECT @@max_prepared_stmt_count')"
start_private_redis
start_receiver
export BENCH_NOTIFY_URL="$RECEIVER_URL"
build_jar

COUNTERS="Questions Com_select Com_insert Com_update Com_update_multi Com_delete Com_commit Com_rollback Com_set_option
 Com_stmt_prepare Com_stmt_execute Com_stmt_close Com_stmt_reprepare Com_stmt_reset"
COUNTERS=$(echo $COUNTERS)
counters() { sql -e "SHOW GLOBAL STATUS" | awk -v want=" $COUNTERS " 'index(want, " " $1 " ") {print $1, $2}'; }
deliveries() {
  curl -fs "$URL/actuator/metrics/gbm.notify.deliveries" 2>/dev/null \
    | jq -r '[.measurements[] | select(.statistic == "COUNT") | .value] | .[0] // 0 | floor' 2>/dev/null || echo 0
}
rows() { sql "$DB" -e "SELECT COUNT(*), IFNULL(SUM(status = 1), 0) FROM group_buy_order_list"; }

# window <variant> <name> <unit: locks|paid|delivered> <command ...>
window() {
  local variant=$1 name=$2 unit=$3 r0 r1 del0 del1 a0 a1 d0 d1 n polls
  shift 3
  counters >"$WORK/c0"; r0=$(rows); del0=$(deliveries); : >"$WORK/polls"
  a0=$(cpu_ticks "$APP"); d0=$(cpu_ticks "$(mariadb_pid)")
  "$@" >/dev/null
  sleep 3 # the relay and the delivery finish what the window's requests queued
  a1=$(cpu_ticks "$APP"); d1=$(cpu_ticks "$(mariadb_pid)")
  counters >"$WORK/c1"; r1=$(rows); del1=$(deliveries)
  polls=$(wc -l <"$WORK/polls")
  case $unit in
    locks) n=$(( $(echo "$r1" | cut -f1) - $(echo "$r0" | cut -f1) )) ;;
    paid) n=$(( $(echo "$r1" | cut -f2) - $(echo "$r0" | cut -f2) )) ;;
    delivered) n=$(( del1 - del0 )) ;;
  esac
  [ "$n" -gt 0 ] || n=1
  say "$variant $name n=$n $unit app_ticks=$(echo "$a0 $a1 $n" | awk '{printf "%.4f", ($2 - $1) / $3}') db_ticks=$(echo "$d0 $d1 $n" | awk '{printf "%.4f", ($2 - $1) / $3}') $(
    join <(sort "$WORK/c0") <(sort "$WORK/c1") | awk -v n="$n" -v polls="$polls" -v order="$COUNTERS" '
      { d[$1] = $3 - $2 - (($1 == "Questions" || $1 == "Com_select") ? polls : 0) }
      END { k = split(order, names, " "); for (i = 1; i <= k; i++) printf "%s=%.3f ", names[i], d[names[i]] / n }'
  )Prepared_stmt_count=$(sql -e "SHOW GLOBAL STATUS LIKE 'Prepared_stmt_count'" | cut -f2)"
}

# The polls' own statements are counted (one SELECT each, in $WORK/polls) and taken off Questions and Com_select.
locks() { echo >>"$WORK/polls"; sql "$DB" -e "SELECT COUNT(*) FROM group_buy_order_list"; }
paid() { echo >>"$WORK/polls"; sql "$DB" -e "SELECT COUNT(*) FROM group_buy_order_list WHERE status = 1"; }
# wrk's main thread sleeps out its -d even after fixed_n.lua stopped every thread: run_until (lib.sh) ends it once
# the database counted the requests.
fixed() {
  local target=$(( $(locks) + N * THREADS ))
  BENCH_SCENARIO=$1 BENCH_N_PER_THREAD=$N run_until locks "$target" -t$THREADS -c"$CONNS" -d600s \
    -s "$BENCH_DIR/fixed_n.lua" "$URL"
}
settle_orders() {
  sql "$DB" -e "SELECT l.user_id, l.out_trade_no FROM group_buy_order_list l JOIN group_buy_order o ON o.team_id = l.team_id
              WHERE l.status = 0 AND o.lock_count = o.target_count AND o.status = 0 ORDER BY l.team_id LIMIT $1" >"$WORK/orders.txt"
}
settle_run() {
  local target=$(( $(paid) + $(wc -l <"$WORK/orders.txt") ))
  BENCH_ORDERS="$WORK/orders.txt" run_until paid "$target" -t$THREADS -c"$CONNS" -d600s -s "$BENCH_DIR/settle.lua" "$URL"
}
drain_seed() { # <round tag>: DRAIN_TASKS HTTP callbacks to the receiver, due tomorrow (made due in the window)
  sql "$DB" -e "INSERT INTO notify_task (task_key, webhook_id, activity_id, team_id, source, channel, notify_category,
      notify_type, notify_url, notify_count, notify_status, parameter_json, next_attempt_time)
    SELECT CONCAT('drain$1_', seq), CONCAT('drain$1-', seq), 900001, LPAD(seq, 8, '0'), 's01', 'c01', 'trade_settlement',
      'HTTP', '$RECEIVER_URL', 0, 0, CONCAT('{\"teamId\":\"', seq, '\",\"outTradeNoList\":[\"x\"]}'), UTC_TIMESTAMP(3) + INTERVAL 1 DAY
    FROM seq_1_to_$DRAIN_TASKS"
}
drain_run() { # <round tag>: make them due, wait until delivered (at most 180 s)
  local start target
  start=$(deliveries); target=$((start + DRAIN_TASKS))
  sql "$DB" -e "UPDATE notify_task SET next_attempt_time = UTC_TIMESTAMP(3) WHERE task_key LIKE 'drain$1\\_%'"
  for _ in $(seq 1 360); do [ "$(deliveries)" -ge "$target" ] && break; sleep 0.5; done
}

seeded=0
run_variant() { # <variant> <round>
  local v=$1 round=$2 props=() p
  for p in $(variant_props "$v"); do props+=(--spring.datasource.hikari.data-source-properties."$p"); done
  private_app_args "$DB"
  start_app "$WORK/app-$v-$round.log" "${START_TIMEOUT:-400}" -Xms1g -Xmx1g -XX:+UseG1GC -- \
    "${PRIVATE_APP_ARGS[@]}" "${props[@]}" ${APP_ARGS:-}
  [ "$seeded" = 1 ] || { seed_bench_goods "$DB"; seeded=1; }
  # Warm-up, not counted: WARMUP's lock scenarios (both twice by default), a settle round, a small drain.
  local s
  for s in $WARMUP; do fixed "$s" >/dev/null; sleep 1; done
  settle_orders $((2 * N)); settle_run >/dev/null
  drain_seed "w$v$round"; drain_run "w$v$round"
  sleep 3
  window "$v" lock_open locks fixed lock_open
  sleep 1
  window "$v" lock_join locks fixed lock_join
  settle_orders $((3 * N))
  window "$v" settle paid settle_run
  drain_seed "m$v$round"
  window "$v" drain delivered drain_run "m$v$round"
  say "# $v round $round: Prepared_stmt_count with the app up $(sql -e "SHOW GLOBAL STATUS LIKE 'Prepared_stmt_count'" | cut -f2); app errors in log: $(grep -c ' ERROR ' "$WORK/app-$v-$round.log" || true)"
  stop_app
  sleep 2
}

for round in $(seq 1 "$ROUNDS"); do
  for v in $VARIANTS; do run_variant "$v" "$round"; done
done
say "# per request: *_ticks = CPU ticks (10 ms) of the app / mariadbd per request; counters = GLOBAL STATUS deltas per request"
say "# raw results in ${OUT#$ROOT/}"
