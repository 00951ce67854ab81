#!/usr/bin/env bash
# What one run of the place reconciler costs, in counts (issue 19, branch reconciler):
#   bash docs/bench/reconciler_cost.sh      (OPEN=40000 open teams, DONE=20000 completed ones, WINDOW=60 s)
# Private MariaDB (port DBPORT, fresh data dir) and redis-server (REDISPORT); the prod jar on the dev profile, idle
# (no HTTP load), with the timeout job every second and the reconciler every INTERVAL (15 s). The teams are written
# straight into group_buy_order (open ones interleaved with completed ones by id, as the benchmark's lock rounds and
# settlements leave them), each open team's Redis counter seeded equal to its lock_count, and MISMATCH of them one
# too high (what a crash between a refund's commit and its release leaves). Then, over WINDOW seconds of the idle
# app, the deltas of the database's handler and statement counters, Redis's command counters and the CPU of the
# scheduler thread the timeout job runs on, once with the reconciler every INTERVAL and once every hour (the idle
# background: the timeout job's and the callback job's own queries), and the EXPLAIN / ANALYZE of one page query.
# Counts only: no rate is kept. Writes docs/bench/results/<date>-<commit>-reconciler-cost.txt.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
OPEN=${OPEN:-40000}
DONE=${DONE:-20000}
MISMATCH=${MISMATCH:-10}
WINDOW=${WINDOW:-60}
INTERVAL=${INTERVAL:-15s}
DBPORT=${DBPORT:-3398}
REDISPORT=${REDISPORT:-6398}
PORT=${PORT:-18095}
TAG=${TAG:-}
PREFIX="reccost$$:"
URL="http://127.0.0.1:$PORT"
STAMP="$(date -u +%Y%m%d-%H%M)-$(git -C "$ROOT" rev-parse --short HEAD)-reconciler-cost${TAG:+-$TAG}"
OUT="$ROOT/docs/bench/results/$STAMP.txt"
WORK=$(mktemp -d /tmp/gbm-reconciler-cost.XXXXXX)
mkdir -p "$ROOT/docs/bench/results"

say() { echo "$*" | tee -a "$OUT"; }
sql() { mariadb -uroot -h127.0.0.1 -P"$DBPORT" --protocol=TCP -N -B "$@"; }
stop_app() {
  if [ -n "${APP:-}" ]; then kill "$APP" 2>/dev/null || true; wait "$APP" 2>/dev/null || true; APP=; fi
}
cleanup() {
  stop_app
  [ -f "$WORK/mariadb.pid" ] && kill "$(cat "$WORK/mariadb.pid")" 2>/dev/null || true
  [ -n "${REDIS:-}" ] && kill "$REDIS" 2>/dev/null || true
  sleep 2
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

say "# reconciler cost $(date -u +%FT%TZ) commit $(git -C "$ROOT" rev-parse --short HEAD); open=$OPEN done=$DONE mismatched=$MISMATCH window=${WINDOW}s interval=$INTERVAL; load $(cut -d' ' -f1-3 /proc/loadavg)"
[ -z "$(git -C "$ROOT" status --porcelain --untracked-files=no)" ] || say "# working tree differs from the commit"

mariadb-install-db --no-defaults --user="$(id -un)" --datadir="$WORK/data" --auth-root-authentication-method=normal \
  >/dev/null 2>&1
/usr/sbin/mariadbd --no-defaults --user="$(id -un)" --datadir="$WORK/data" --port="$DBPORT" --bind-address=127.0.0.1 \
  --socket="$WORK/mariadb.sock" --pid-file="$WORK/mariadb.pid" --skip-log-bin --max-connections=200 \
  >"$WORK/mariadb.log" 2>&1 &
for _ in $(seq 1 60); do sql -e 'SELECT 1' >/dev/null 2>&1 && break; sleep 1; done
sql -e "CREATE DATABASE gbm_rc CHARACTER SET utf8mb4"
redis-server --port "$REDISPORT" --bind 127.0.0.1 --save '' --appendonly no --dir "$WORK" >"$WORK/redis.log" 2>&1 &
REDIS=$!
for _ in $(seq 1 30); do redis-cli -p "$REDISPORT" ping >/dev/null 2>&1 && break; sleep 0.2; done

(cd "$ROOT" && mvn -q -B -o package -DskipTests -Pprod -Dspotless.check.skip=true)

start_app() { # $1: gbm.places.interval
  java -Xms512m -Xmx512m -XX:+UseG1GC -jar "$ROOT/group-buy-market-app/target/group-buy-market-app.jar" \
    --spring.profiles.active=dev --server.port=$PORT --spring.data.redis.port="$REDISPORT" \
    --spring.datasource.url="jdbc:mysql://127.0.0.1:$DBPORT/gbm_rc?connectionTimeZone=UTC&forceConnectionTimeZoneToSession=true&useSSL=false&allowPublicKeyRetrieval=true&rewriteBatchedStatements=true" \
    --gbm.redis.key-prefix="$PREFIX" --logging.level.com.groupbuy.market=WARN --xxl.job.executor.enabled=false \
    --gbm.mq.enabled=false --gbm.places.on-start=false --gbm.places.interval="$1" \
    --gbm.timeout.local-scheduler-delay=1s --gbm.notify.local-scheduler-delay=1s ${APP_ARGS:-} >"$WORK/app.log" 2>&1 &
  APP=$!
  for _ in $(seq 1 180); do curl -fs "$URL/actuator/health" >/dev/null 2>&1 && break; sleep 1; done
  curl -fs "$URL/actuator/health" >/dev/null || { tail -50 "$WORK/app.log"; exit 1; }
}

# The schema comes from the app's own migrations.
start_app 1h
stop_app

# Teams: ids 1..OPEN+DONE, validity ends rising with the id (1 ms apart) as they do when teams open in turn, every third (while completed ones last) complete, the rest open with one lock of three.
sql gbm_rc <<SQL
INSERT INTO group_buy_order (team_id, activity_id, leader_user_id, source, channel, original_price, deduction_price,
  pay_price, target_count, complete_count, lock_count, status, valid_start_time, valid_end_time, update_time)
SELECT CONCAT('r', LPAD(seq, 7, '0')), 900001, CONCAT('u', seq), 's01', 'c01', 100, 20, 80, 3,
  IF(seq % 3 = 0 AND seq / 3 <= $DONE, 3, 0), IF(seq % 3 = 0 AND seq / 3 <= $DONE, 3, 1),
  IF(seq % 3 = 0 AND seq / 3 <= $DONE, 1, 0), UTC_TIMESTAMP(3) - INTERVAL 10 MINUTE,
  UTC_TIMESTAMP(3) + INTERVAL 10 HOUR + INTERVAL seq * 1000 MICROSECOND, UTC_TIMESTAMP(3) - INTERVAL 10 MINUTE
FROM seq_1_to_$((OPEN + DONE));
ANALYZE TABLE group_buy_order;
SQL
say "# teams: $(sql gbm_rc -e "SELECT CONCAT('status', status, '=', COUNT(*)) FROM group_buy_order GROUP BY status" | tr '\n' ' ')"
sql gbm_rc -e "SELECT team_id, lock_count FROM group_buy_order WHERE status = 0" \
  | awk -v p="${PREFIX}team:place-holds:" '{print "HSET " p $1 " n " $2}' >"$WORK/seed.redis"
redis-cli -p "$REDISPORT" <"$WORK/seed.redis" >/dev/null

NOW=$(sql -e "SELECT UTC_TIMESTAMP(3)")
MID=$(sql gbm_rc -e "SELECT MAX(id) DIV 2 FROM group_buy_order")
page_query() { # $1: after validity end, $2: after id; the statement queryOpenTeams sends (ITeamPlaceDao.xml), page 200 of shard 0/1
  sed -n '/<select id="queryOpenTeams"/,/<\/select>/p' "$ROOT/group-buy-market-app/src/main/resources/mybatis/mapper/trade/ITeamPlaceDao.xml" \
    | grep -v '<' | sed -e "s/&gt;/>/g" -e "s/&lt;/</g" -e "s/#{open}/0/" -e "s/#{now}/'$NOW'/g" \
      -e "s/#{afterId}/$2/" -e "s/#{shardTotal}/1/" -e "s/#{shardIndex}/0/" -e "s/#{limit}/200/" \
      -e "s/#{afterEnd}/'$1'/g" | tr '\n' ' '
}
cat >"$WORK/plan.py" <<'PY'
import json, sys
def walk(node, path):
    if isinstance(node, dict):
        if "table_name" in node:
            keep = ("access_type", "key", "used_key_parts", "rows", "r_rows", "r_filtered", "index_condition",
                    "attached_condition")
            print("ANALYZE", "/".join(path) or "-", json.dumps({k: node[k] for k in keep if k in node}))
        for k, v in node.items():
            walk(v, path + [k] if k in ("filesort", "read_sorted_file", "temporary_table") else path)
    elif isinstance(node, list):
        for v in node:
            walk(v, path)
walk(json.loads(sys.stdin.read()), [])
PY
MIDEND=$(sql gbm_rc -e "SELECT valid_end_time FROM group_buy_order WHERE id = $MID")
for after in "1970-01-01 00:00:00.000|0" "$MIDEND|$MID"; do
  q=$(page_query "${after%|*}" "${after#*|}")
  say "# EXPLAIN of one page (after $after): $(echo "$q" | tr -s ' ')"
  sql gbm_rc -e "EXPLAIN $q" | tee -a "$OUT"
  say "# one page's handler counters: $(sql gbm_rc -e "FLUSH STATUS; $q; SHOW SESSION STATUS LIKE 'Handler_%'" | awk '$1 ~ /^Handler_/ && $2 != 0 {printf "%s=%s ", $1, $2}')"
  sql gbm_rc -r -e "ANALYZE FORMAT=JSON $q" \
    | python3 "$WORK/plan.py" | tee -a "$OUT" || true
done

COUNTERS="Com_select Com_update Com_commit Handler_icp_attempts Handler_icp_match Handler_read_first Handler_read_key Handler_read_next Handler_read_rnd Handler_read_rnd_next Innodb_rows_read Questions"
counters() {
  sql -e "SHOW GLOBAL STATUS" | awk -v want=" $COUNTERS " 'index(want, " " $1 " ") {print $1, $2}'
  redis-cli -p "$REDISPORT" INFO commandstats | tr -d '\r' | awk -F'[:=,]' '/^cmdstat_/ {sub("cmdstat_", "redis_", $1); print $1, $3}'
  awk '{
    i = index($0, "("); j = 0
    for (k = length($0); k > i; k--) if (substr($0, k, 1) == ")") { j = k; break }
    name = substr($0, i + 1, j - i - 1); gsub(/[0-9]+/, "#", name); gsub(/ /, "_", name)
    split(substr($0, j + 2), f, " "); cpu[name] += f[12] + f[13]
  } END { for (n in cpu) print "cpu_ticks_" n, cpu[n] }' /proc/"$APP"/task/*/stat 2>/dev/null
}
redis_work() { redis-cli -p "$REDISPORT" INFO commandstats | tr -d '\r' | grep -v -e cmdstat_ping -e cmdstat_info -e cmdstat_client; }
measure() { # $1: label, $2: gbm.places.interval
  head -n "$MISMATCH" "$WORK/seed.redis" | awk '{print "HSET", $2, "n", 2}' | redis-cli -p "$REDISPORT" >/dev/null
  start_app "$2"
  # The first timeout job run (1 s after start) reconciles at once whatever the interval: wait until it is done
  # (no Redis command but pings for 2 s), so the window starts between sweeps.
  sleep 3
  prev=""; for _ in $(seq 1 300); do cur=$(redis_work | md5sum); [ "$cur" = "$prev" ] && break; prev=$cur; sleep 2; done
  counters >"$WORK/c0"
  sleep "$WINDOW"
  counters >"$WORK/c1"
  mismatched=$(for k in $(head -n "$MISMATCH" "$WORK/seed.redis" | awk '{print $2}'); do redis-cli -p "$REDISPORT" HGET "$k" n; done | grep -vc '^1$' || true)
  say "$1 window=${WINDOW}s interval=$2 counters_still_off=$mismatched/$MISMATCH $( { sed 's/^/b /' "$WORK/c0"; sed 's/^/a /' "$WORK/c1"; } | awk '
    $1 == "b" { b[$2] = $3; next }
    { d = $3 - b[$2]; if (d != 0) printf "%s=%d\n", $2, d }' | sort | tr '\n' ' ')"
  stop_app
}
measure background 1h
measure reconciler "$INTERVAL"
hz=$(getconf CLK_TCK)
say "# cpu ticks are 1/$hz s; a sweep is OPEN=$OPEN teams: sweeps in the window ~ redis HGET (or page scripts) / pages"
say "# raw results in ${OUT#$ROOT/}"
