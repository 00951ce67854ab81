#!/usr/bin/env bash
# Timeout-close latency benchmark (#15): how long after an unpaid lock's deadline its place is free again.
#   bash docs/bench/close_check.sh          (CLOSE_LOCKS=1000, CLOSE_TIMEOUT_S=5, CLOSE_MODES="delay polling";
#   CLOSE_APP_ARGS="--gbm.close-check.concurrency=4" passes settings to the app of both runs;
#   CLOSE_TIMELINE=/tmp/t.tsv writes the delay run's per-order times there, for docs/bench/close_timeline.py)
# Builds the prod jar and runs it twice on the dev profile against the local MariaDB, Redis and RabbitMQ, each time in
# a database of its own (recreated) and with queues of this run only:
#  - delay:   the delay path on (close checks through a delay lane, our close-check consumer), the polling job running
#             beside it as the backstop (local scheduler, default 10 s, margin 30 s);
#  - polling: the delay path off, the polling job alone (local scheduler every 10 s, the default).
# Each run locks CLOSE_LOCKS orders over HTTP (8 in parallel, in teams of 3: one opens, two join), never pays them,
# and waits until every one is closed. Latency of an order = update_time of its row (the guarded close; the Redis place is given back
# right after that commit) - its deadline (create_time + the unpaid timeout, as the polling job reads it). The delay
# run also reports it against the deadline its close check carried (the lock's own clock, a little before create_time
# under load). Prints one RESULT line per run (p50/p99/max ms, load average before/after) and appends them to
# docs/bench/results/.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BENCH_DIR="$ROOT/docs/bench"
LOCKS=${CLOSE_LOCKS:-1000}
TIMEOUT_S=${CLOSE_TIMEOUT_S:-5}
RUN_ID=$(head -c4 /dev/urandom | od -An -tx1 | tr -d ' \n')
mkdir -p "$BENCH_DIR/results"
OUT="$BENCH_DIR/results/$(date -u +%Y%m%d-%H%M)-$(git -C "$ROOT" rev-parse --short HEAD)-close-check.txt"

. "$BENCH_DIR/lib.sh"
trap bench_cleanup EXIT

say "# close-check benchmark $(date -u +%FT%TZ) commit $(git -C "$ROOT" rev-parse --short HEAD), $(nproc) cores, locks=$LOCKS timeout=${TIMEOUT_S}s${CLOSE_APP_ARGS:+ app args: $CLOSE_APP_ARGS}"
say_if_tree_differs
build_jar

run() { # $1 mode (delay|polling)
  local mode=$1 db="gbm_bench_close_$1" queue lanes log l0
  PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  URL="http://127.0.0.1:$PORT"
  queue="bench_close_${RUN_ID}_$mode"
  lanes="bench_close_${RUN_ID}_$mode.delay."
  log=$(mktemp -d)/app.log
  sql -e "DROP DATABASE IF EXISTS $db; CREATE DATABASE $db CHARACTER SET utf8mb4"
  local delay_flags="--gbm.close-check.enabled=false"
  [ "$mode" = delay ] && delay_flags="--gbm.close-check.enabled=true --gbm.close-check.queue=$queue --gbm.close-check.dead-letter-queue=$queue.dead --gbm.close-check.lane-prefix=$lanes"
  # shellcheck disable=SC2086
  start_app "$log" 120 -Xms512m -Xmx512m -XX:+UseG1GC -- \
    --spring.datasource.url="$(jdbc_url 3306 "$db" unbatched)" \
    --gbm.redis.key-prefix="bench_close_${RUN_ID}_$mode:" --gbm.mq.refund-consumer.enabled=false \
    --xxl.job.executor.enabled=false --gbm.timeout.unpaid-timeout="${TIMEOUT_S}s" $delay_flags ${CLOSE_APP_ARGS:-}
  seed_bench_goods "$db"
  l0=$(load)
  python3 "$BENCH_DIR/close_check_locks.py" "$PORT" "$LOCKS" >/dev/null
  local locked open waited=0
  locked=$(sql "$db" -e "SELECT COUNT(*) FROM group_buy_order_list")
  while :; do
    open=$(sql "$db" -e "SELECT COUNT(*) FROM group_buy_order_list WHERE status = 0")
    [ "$open" -eq 0 ] && break
    [ "$waited" -ge 180 ] && { say "# $mode: $open of $locked still open after 180 s"; break; }
    sleep 1; waited=$((waited + 1))
  done
  local stats against_check="" found_late
  stats=$(sql "$db" -e "SELECT TIMESTAMPDIFF(MICROSECOND, create_time + INTERVAL $TIMEOUT_S SECOND, update_time) / 1000
                        FROM group_buy_order_list WHERE status = 2" | python3 "$BENCH_DIR/percentiles.py")
  if [ "$mode" = delay ]; then
    against_check=$(sql "$db" -e "SELECT TIMESTAMPDIFF(MICROSECOND, FROM_UNIXTIME(JSON_VALUE(t.parameter_json, '$.closeAt') / 1000),
                                   l.update_time) / 1000
                                  FROM group_buy_order_list l JOIN notify_task t
                                    ON t.task_key = CONCAT(l.team_id, ':internal_close_unpaid:', l.order_id)
                                  WHERE l.status = 2" | python3 "$BENCH_DIR/percentiles.py")
    against_check=" vs_check_deadline=[$against_check]"
    # Where the time goes: lock → check published (confirmed), and deadline → check reaching our consumer.
    local published arrived
    published=$(sql "$db" -e "SELECT TIMESTAMPDIFF(MICROSECOND, l.create_time, a.attempt_time) / 1000
                              FROM group_buy_order_list l JOIN notify_task t
                                ON t.task_key = CONCAT(l.team_id, ':internal_close_unpaid:', l.order_id)
                              JOIN notify_attempt a ON a.task_id = t.id AND a.success = 1" | python3 "$BENCH_DIR/percentiles.py")
    arrived=$(sql "$db" -e "SELECT TIMESTAMPDIFF(MICROSECOND, FROM_UNIXTIME(JSON_VALUE(t.parameter_json, '$.closeAt') / 1000),
                              r.create_time) / 1000
                            FROM notify_task t JOIN mq_consumption_record r ON r.message_id = t.webhook_id
                            WHERE t.notify_category = 'internal_close_unpaid'" | python3 "$BENCH_DIR/percentiles.py")
    against_check="$against_check lock_to_published=[$published] deadline_to_consumer=[$arrived]"
  fi
  if [ "$mode" = delay ] && [ -n "${CLOSE_TIMELINE:-}" ]; then
    # One line per closed order: order id, task id, then epoch ms: lock (row create_time), its check's deadline, published (attempt start),
    # reached our consumer (record create_time), record finished, order closed; close_timeline.py reads it.
    sql "$db" -e "SET time_zone = '+00:00';
                  SELECT l.order_id, t.id, ROUND(UNIX_TIMESTAMP(l.create_time) * 1000), JSON_VALUE(t.parameter_json, '$.closeAt'),
                         ROUND(UNIX_TIMESTAMP(a.attempt_time) * 1000), ROUND(UNIX_TIMESTAMP(r.create_time) * 1000),
                         ROUND(UNIX_TIMESTAMP(r.update_time) * 1000), ROUND(UNIX_TIMESTAMP(l.update_time) * 1000)
                  FROM group_buy_order_list l
                  JOIN notify_task t ON t.task_key = CONCAT(l.team_id, ':internal_close_unpaid:', l.order_id)
                  LEFT JOIN notify_attempt a ON a.task_id = t.id AND a.success = 1
                  LEFT JOIN mq_consumption_record r ON r.message_id = t.webhook_id
                  WHERE l.status = 2 ORDER BY l.create_time" >"$CLOSE_TIMELINE"
    say "# timeline of the delay run in $CLOSE_TIMELINE (docs/bench/close_timeline.py reads it)"
  fi
  found_late=$( { grep -o 'found late=[0-9]*' "$log" || true; } | awk -F= '{s += $2} END {print s + 0}')
  say "RESULT close_check mode=$mode locks=$locked closed=$((locked - open)) timeout=${TIMEOUT_S}s deadline_to_close_ms=[$stats]$against_check backstop_found_late=$found_late load_before=\"$l0\" load_after=\"$(load)\""
  stop_app
  sql -e "DROP DATABASE IF EXISTS $db"
  redis-cli --scan --pattern "bench_close_${RUN_ID}_$mode:*" | xargs -r -n 500 redis-cli del >/dev/null || true
  if [ "$mode" = delay ]; then
    delete_queues "$queue" # the queue, its dead-letter queue and its delay lanes
  fi
}

for mode in ${CLOSE_MODES:-delay polling}; do run "$mode"; done
say "# raw results in $OUT"
