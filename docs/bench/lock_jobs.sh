#!/usr/bin/env bash
# What the background jobs cost per lock in run.sh's lock windows (issue 19, branch sweepcost):
#   bash docs/bench/lock_jobs.sh        (DURATION=30s, WARMUP_STEP=20s; APP_ARGS="--gbm.places.interval=1h" isolates the sweep)
# The app as run.sh starts it (prod jar, dev profile, WARN, XXL executor off, local compensation job every 1 s) on a
# private MariaDB (DBPORT) and redis-server (REDISPORT), close checks on queues of its own on the local RabbitMQ. The
# same sequence as run.sh: warm-up rounds until C2 is under 5 %, then lock_open at 8, 32 and 64 connections and
# lock_join at 8, 32 and 64; the 64-connection windows are counted (the others only leave their open teams behind,
# as in run.sh). Per counted window:
#   - the CPU of every app thread (/proc/<pid>/task/*/stat), grouped by name (digits as #), per lock;
#   - redis-server's commands per lock (INFO commandstats deltas): the place sweep's reads are its only HGET;
#   - the private MariaDB's statement counters per lock;
#   - what the timeout job did (teams failed, orders closed in the window) and the open teams at both ends;
#   - the app log's WARN lines of the jobs in the window, by kind.
# Counts only: the req/s wrk prints is not kept. Writes docs/bench/results/<date>-<commit>-lock-jobs[-TAG].txt.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BENCH_DIR="$ROOT/docs/bench"
export BENCH_DIR
DURATION=${DURATION:-30s}
DBPORT=${DBPORT:-3424}
REDISPORT=${REDISPORT:-6424}
PORT=${PORT:-18204}
TAG=${TAG:-}
PREFIX="lockjobs$$:"
QUEUES="gbm_lockjobs_$$"
URL="http://127.0.0.1:$PORT"
export BENCH_NOTIFY_URL="$URL/api/v1/test/group_buy_notify"
THREADS=2
export BENCH_THREADS=$THREADS
STAMP="$(date -u +%Y%m%d-%H%M)-$(git -C "$ROOT" rev-parse --short HEAD)-lock-jobs${TAG:+-$TAG}"
OUT="$BENCH_DIR/results/$STAMP.txt"
WORK=$(mktemp -d /tmp/gbm-lock-jobs.XXXXXX)
mkdir -p "$BENCH_DIR/results"

. "$BENCH_DIR/lib.sh"
CLEAN_QUEUES=$QUEUES
trap bench_cleanup EXIT
trap 'exit 1' INT TERM

say "# lock jobs $(date -u +%FT%TZ) commit $(git -C "$ROOT" rev-parse --short HEAD); duration=$DURATION; load $(load)${APP_ARGS:+; app args: $APP_ARGS}"
say_if_tree_differs

start_private_mariadb --max-connections=200
sql -e "CREATE DATABASE gbm_lj CHARACTER SET utf8mb4"
start_private_redis
build_jar

private_app_args gbm_lj
# shellcheck disable=SC2086
start_app "$WORK/app.log" 180 -Xms1g -Xmx1g -XX:+UseG1GC -- "${PRIVATE_APP_ARGS[@]}" ${APP_ARGS:-}
seed_bench_goods gbm_lj
DBPID=$(mariadb_pid)

COUNTERS="Questions Com_select Com_insert Com_update Com_update_multi Com_delete Com_commit Com_rollback Handler_read_key Handler_read_next Innodb_rows_read"
counters() {
  sql -e "SHOW GLOBAL STATUS" | awk -v want=" $COUNTERS " 'index(want, " " $1 " ") {print $1, $2}'
  redis-cli -p "$REDISPORT" INFO commandstats | tr -d '\r' | awk -F'[:=,]' '/^cmdstat_/ {sub("cmdstat_", "redis_", $1); print $1, $3}'
  sql gbm_lj -e "SELECT 'orders', COUNT(*) FROM group_buy_order_list
    UNION ALL SELECT CONCAT('orders_status', status), COUNT(*) FROM group_buy_order_list GROUP BY status
    UNION ALL SELECT CONCAT('teams_status', status), COUNT(*) FROM group_buy_order GROUP BY status
    UNION ALL SELECT CONCAT('tasks_', notify_category, '_', notify_type), COUNT(*) FROM notify_task GROUP BY notify_category, notify_type" | tr '\t' ' '
}
threads() {
  awk '{
    i = index($0, "("); j = 0
    for (k = length($0); k > i; k--) if (substr($0, k, 1) == ")") { j = k; break }
    split(substr($0, j + 2), f, " ")
    printf "%s\t%s\t%s\n", $1, f[12] + f[13], substr($0, i + 1, j - i - 1)
  }' /proc/"$APP"/task/*/stat 2>/dev/null || true
}
hz=$(getconf CLK_TCK)
window() { # name script conns counted(0/1)
  local name=$1 script=$2 c=$3 counted=$4 a0 a1 d0 d1 l0 n
  if [ "$counted" = 0 ]; then
    wrk -t$THREADS -c"$c" -d"$DURATION" -s "$BENCH_DIR/$script" "$URL" >/dev/null
    say "# $name conns=$c (not counted; leaves its teams); open teams now $(sql gbm_lj -e "SELECT COUNT(*) FROM group_buy_order WHERE status = 0")"
    return
  fi
  l0=$(wc -l <"$WORK/app.log")
  counters >"$WORK/c0"; threads >"$WORK/t0"; a0=$(cpu_ticks "$APP"); d0=$(cpu_ticks "$DBPID")
  wrk -t$THREADS -c"$c" -d"$DURATION" -s "$BENCH_DIR/$script" "$URL" >/dev/null
  counters >"$WORK/c1"; threads >"$WORK/t1"; a1=$(cpu_ticks "$APP"); d1=$(cpu_ticks "$DBPID")
  n=$(( $(awk '$1 == "orders" {print $2}' "$WORK/c1") - $(awk '$1 == "orders" {print $2}' "$WORK/c0") ))
  say "$name conns=$c locks=$n app_cpu_ms_per_lock=$(echo "($a1 - $a0) * 1000 / $hz / $n" | bc -l | xargs printf '%.3f') db_cpu_ms_per_lock=$(echo "($d1 - $d0) * 1000 / $hz / $n" | bc -l | xargs printf '%.3f') (shared machine: direction only)"
  say "$name deltas (per lock, and total): $( { sed 's/^/b /' "$WORK/c0"; sed 's/^/a /' "$WORK/c1"; } | awk -v n="$n" '
    $1 == "b" { b[$2] = $3; next }
    { a[$2] = $3 }
    END { for (k in a) { d = a[k] - b[k]; if (d != 0 && k != "redis_info") printf "%s=%.4f(%d)\n", k, d / n, d } }' | sort | tr '\n' ' ')"
  say "$name open teams at start $(awk '$1 == "teams_status0" {print $2}' "$WORK/c0"), at end $(awk '$1 == "teams_status0" {print $2}' "$WORK/c1")"
  say "# $name app threads: share of the app's CPU in the window, ms per lock, ticks (1/$hz s)"
  awk -F'\t' -v total="$((a1 - a0))" -v n="$n" -v hz="$hz" '
    FNR == NR { before[$1] = $2; next }
    { name = $3; gsub(/[0-9]+/, "#", name); d = $2 - ($1 in before ? before[$1] : 0); group[name] += d; seen += d }
    END {
      for (g in group) if (group[g] > 0) printf "%6.1f%% %7.4f ms %6d  %s\n", group[g] * 100 / total, group[g] * 1000 / hz / n, group[g], g
      printf "%6.1f%% %7.4f ms %6d  %s\n", (total - seen) * 100 / total, (total - seen) * 1000 / hz / n, total - seen, "(threads that ended in the window)"
    }' "$WORK/t0" "$WORK/t1" | sort -rn | tee -a "$OUT"
  say "# $name app log WARN lines in the window, by kind: $(tail -n +"$((l0 + 1))" "$WORK/app.log" | grep -o 'WARN.*' | sed -E 's/^WARN +[0-9]+ --- \[[^]]*\] *\[[^]]*\] *//; s/[=:][^ ]*//g' | cut -c1-90 | sort | uniq -c | sort -rn | head -8 | tr -s ' ' | tr '\n' ';')"
}

WARMUP_STEP=${WARMUP_STEP:-20s}
warm_up 64 "$WARMUP_STEP" "$WARMUP_STEP, %s, 64 conns"
window lock_open lock_open.lua 8 0
window lock_open lock_open.lua 32 0
window lock_open lock_open.lua 64 1
window lock_join lock_join.lua 8 0
window lock_join lock_join.lua 32 0
window lock_join lock_join.lua 64 1
cp "$WORK/app.log" "$WORK/../gbm-lock-jobs-$STAMP-app.log" 2>/dev/null || true
say "# raw results in ${OUT#$ROOT/}"
