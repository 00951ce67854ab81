#!/usr/bin/env bash
# What the HTTP edge costs per lock (#19, branch webcpu): CPU samples of the request threads broken down by what
# Tomcat, the filters, Spring MVC, Jackson and Micrometer are doing, and bytes allocated per lock.
#   bash docs/bench/edge_profile.sh            (DURATION=30s per window, SCENARIOS="lock_open lock_join", CONNS=64)
# The app runs as docs/bench/run.sh runs it (prod jar, dev profile, WARN logging, own database gbm_edge on the
# local MariaDB, own Redis prefix), warmed up in rounds until C2 uses under 5 % of the app's CPU. Then, per
# scenario, two windows of wrk at CONNS connections:
#   1. counts only: requests (wrk), the app's CPU ticks, and jvm.gc.memory.allocated (the actuator's counter,
#      brought up to date by a full GC at both ends of the window) -> bytes per lock, app CPU ms per lock;
#   2. a JFR recording (docs/bench/edge.jfc: execution samples every 2 ms, allocation samples), summarised by
#      docs/bench/jfr_edge.py.
# Bytes per lock is load-independent; CPU ms per lock on a shared machine is a direction only; no rate is printed.
# Writes docs/bench/results/<date>-<commit>-edge[-LABEL].txt and keeps the recordings in /tmp/gbm-edge.*.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BENCH_DIR="$ROOT/docs/bench"
export BENCH_DIR
DURATION=${DURATION:-30s}
CONNS=${CONNS:-64}
SCENARIOS=${SCENARIOS:-"lock_open lock_join"}
PORT=${PORT:-18197}
# DB=...: a second copy run side by side (another jar, another PORT) needs a database of its own.
DB=${DB:-gbm_edge}
PREFIX="edge$$:"
URL="http://127.0.0.1:$PORT"
export BENCH_NOTIFY_URL="$URL/api/v1/test/group_buy_notify"
THREADS=2
COMMIT=$(git -C "$ROOT" rev-parse --short HEAD)
OUT="$BENCH_DIR/results/$(date -u +%Y%m%d-%H%M)-$COMMIT-edge${LABEL:+-$LABEL}.txt"
WORK=$(mktemp -d /tmp/gbm-edge.XXXXXX)
mkdir -p "$BENCH_DIR/results"

. "$BENCH_DIR/lib.sh"
allocated() {
  jcmd "$APP" GC.run >/dev/null
  curl -fs "$URL/actuator/metrics/jvm.gc.memory.allocated" | python3 -c 'import json,sys; print(int(json.load(sys.stdin)["measurements"][0]["value"]))'
}

say "# HTTP edge profile $(date -u +%FT%TZ) commit $COMMIT${LABEL:+ ($LABEL)}; duration $DURATION per window, $CONNS conns"
say_if_tree_differs
say "# load before build: $(load)${APP_ARGS:+; app args: $APP_ARGS}"

if [ "${BUILD:-1}" = 1 ]; then
  (cd "$ROOT" && mvn -q -B -o package -DskipTests -Pprod -Dspotless.check.skip=true)
fi

# Another engineer's app on the port would answer the health check and the load instead of ours.
if ss -ltn "sport = :$PORT" | grep -q LISTEN; then echo "port $PORT is in use: PORT=..." >&2; exit 1; fi
sql -e "DROP DATABASE IF EXISTS $DB; CREATE DATABASE $DB CHARACTER SET utf8mb4"
# The recordings stay in WORK.
CLEAN_REDIS_PREFIX=$PREFIX CLEAN_DB=$DB KEEP_WORK=1
trap bench_cleanup EXIT
# shellcheck disable=SC2086
start_app "$WORK/app.log" 180 -Xms1g -Xmx1g -XX:+UseG1GC -XX:FlightRecorderOptions:stackdepth=256 -- \
  --spring.datasource.url="$(jdbc_url 3306 "$DB")" \
  --gbm.redis.key-prefix="$PREFIX" --logging.level.com.groupbuy.market=WARN \
  --xxl.job.executor.enabled=false --gbm.notify.local-scheduler-delay=1s --gbm.mq.refund-consumer.enabled=false \
  ${APP_ARGS:-}

seed_bench_goods "$DB"

# Warm-up as in run.sh: rounds of both lock scenarios until C2's share of the app's CPU in a round is small.
warm_up "$CONNS" "${WARMUP_STEP:-20s}" "%s"

HZ=$(getconf CLK_TCK)
for scenario in $SCENARIOS; do
  b0=$(allocated); a0=$(cpu_ticks $APP); l0=$(load)
  line=$(wrk -t$THREADS -c"$CONNS" -d"$DURATION" -s "$BENCH_DIR/$scenario.lua" "$URL" | grep '^RESULT')
  a1=$(cpu_ticks $APP); b1=$(allocated)
  requests=$(echo "$line" | grep -o 'requests=[0-9]*' | cut -d= -f2)
  errors=$(echo "$line" | grep -o 'http_errors=[0-9]* business_errors=[0-9]*')
  say "$scenario conns=$CONNS requests=$requests $errors bytes_per_lock=$(( (b1 - b0) / requests )) app_cpu_ms_per_lock=$(echo "($a1-$a0)*1000/$HZ/$requests" | bc -l | xargs printf '%.3f') load_before=\"$l0\" load_after=\"$(load)\""

  jcmd "$APP" JFR.start name=edge settings="$BENCH_DIR/edge.jfc" >/dev/null
  wrk -t$THREADS -c"$CONNS" -d"$DURATION" -s "$BENCH_DIR/$scenario.lua" "$URL" >/dev/null
  jcmd "$APP" JFR.stop name=edge filename="$WORK/$scenario.jfr" >/dev/null
  jfr print --stack-depth 256 --events jdk.ExecutionSample "$WORK/$scenario.jfr" > "$WORK/$scenario-cpu.txt"
  jfr print --stack-depth 256 --events jdk.ObjectAllocationSample "$WORK/$scenario.jfr" > "$WORK/$scenario-alloc.txt"
  say "## $scenario: JFR, $DURATION at $CONNS conns (load after $(load))"
  python3 "$BENCH_DIR/jfr_edge.py" "$WORK/$scenario-cpu.txt" "$WORK/$scenario-alloc.txt" | tee -a "$OUT"
done
say "# recordings in $WORK; raw results in $OUT"
