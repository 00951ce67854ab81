#!/usr/bin/env bash
# What RabbitMQ's CPU per lock opening is made of (#19, branch mqcost): a private RabbitMQ node (nothing else on it),
# beam.smp's CPU ticks from /proc over (1) idle with the app connected, (2) lock openings through the real path (each
# publishes one team close check through the relay), (3) joins (no close check: run.sh sets no unpaid timeout),
# then (4) docs/bench/MqCost.java, the publisher's message with one feature changed per mode. Counts, no rate.
#   bash docs/bench/mq_cost.sh    (BUILD=0 JAR=... to reuse a jar; MQ_BUSY_WAIT=medium for Erlang's own default)
# Ports: RabbitMQ 5641 (dist 25641, no plugins: no management or prometheus listener), app 18141, MariaDB 3441,
# Redis 6441.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BENCH_DIR="$ROOT/docs/bench"
export BENCH_DIR
PORT=${PORT:-18141}
DBPORT=${DBPORT:-3441}
REDISPORT=${REDISPORT:-6441}
MQPORT=${MQPORT:-5641}
MQNODE=gbm-mqcost@localhost
DURATION=${DURATION:-30s}
IDLE=${IDLE:-30}
N=${N:-20000}
URL="http://127.0.0.1:$PORT"
export BENCH_NOTIFY_URL="$URL/api/v1/test/group_buy_notify"
THREADS=2
DB=gbm_mqcost
WORK=$(mktemp -d)
mkdir -p "$BENCH_DIR/results"
OUT="$BENCH_DIR/results/$(date -u +%Y%m%d-%H%M)-$(git -C "$ROOT" rev-parse --short HEAD)-mqcost${MQ_BUSY_WAIT:+-bw$MQ_BUSY_WAIT}.txt"
LOG=$WORK/app.log
HZ=$(getconf CLK_TCK)

. "$BENCH_DIR/lib.sh"

MQ_ENV=(RABBITMQ_NODENAME=$MQNODE RABBITMQ_NODE_PORT=$MQPORT RABBITMQ_DIST_PORT=25641
  RABBITMQ_MNESIA_BASE=/tmp/mqcost RABBITMQ_LOG_BASE=/tmp/mqcost-log RABBITMQ_CONFIG_FILE=/tmp/mqcost-conf/rabbitmq
  RABBITMQ_ENABLED_PLUGINS_FILE=/tmp/mqcost-conf/enabled_plugins RABBITMQ_CONF_ENV_FILE=/tmp/mqcost-conf/rabbitmq-env.conf
  RABBITMQ_PID_FILE=/tmp/mqcost/pid ${MQ_BUSY_WAIT:+RABBITMQ_SCHEDULER_BUSY_WAIT_THRESHOLD=$MQ_BUSY_WAIT})
mqctl() { env "${MQ_ENV[@]}" /usr/lib/rabbitmq/bin/rabbitmqctl -n $MQNODE "$@"; }
start_private_mq() {
  rm -rf /tmp/mqcost /tmp/mqcost-log /tmp/mqcost-conf; mkdir -p /tmp/mqcost /tmp/mqcost-log /tmp/mqcost-conf
  echo "listeners.tcp.local = 127.0.0.1:$MQPORT" >/tmp/mqcost-conf/rabbitmq.conf
  echo "[]." >/tmp/mqcost-conf/enabled_plugins
  printf 'ERL_EPMD_ADDRESS=127.0.0.1\nexport ERL_FLAGS="-kernel inet_dist_use_interface {127,0,0,1}"\n' \
    >/tmp/mqcost-conf/rabbitmq-env.conf
  env "${MQ_ENV[@]}" /usr/lib/rabbitmq/bin/rabbitmq-server -detached
  mqctl -q wait /tmp/mqcost/pid >/dev/null
  MQPID=$(cat /tmp/mqcost/pid)
}
mq_cleanup() {
  bench_cleanup
  mqctl -q stop >/dev/null 2>&1 || true
}
trap mq_cleanup EXIT

say "# mq_cost $(date -u +%FT%TZ) commit $(git -C "$ROOT" rev-parse --short HEAD), $(nproc) cores; load $(load)"
say_if_tree_differs
build_jar
start_private_mq
say "# private RabbitMQ $MQNODE pid $MQPID: $(tr '\0' ' ' </proc/$MQPID/cmdline | grep -o '[-+]sbwt[a-z]* [a-z]*' | tr '\n' ' ')"
start_private_mariadb
start_private_redis
sql -e "CREATE DATABASE $DB CHARACTER SET utf8mb4"
start_app "$LOG" 180 -Xms1g -Xmx1g -XX:+UseG1GC -- --spring.datasource.url="$(jdbc_url "$DBPORT" "$DB")" \
  --spring.data.redis.port="$REDISPORT" --spring.rabbitmq.port="$MQPORT" --logging.level.com.groupbuy.market=WARN \
  --xxl.job.executor.enabled=false --gbm.notify.local-scheduler-delay=1s ${APP_ARGS:-}
seed_bench_goods $DB

mq_ticks() { cpu_ticks "$MQPID"; }
checks_published() { sql $DB -e "SELECT COUNT(*) FROM notify_task WHERE notify_type = 'DELAY' AND notify_status = 1"; }
checks_left() { sql $DB -e "SELECT COUNT(*) FROM notify_task WHERE notify_type = 'DELAY' AND notify_status IN (0, 2)"; }
lane_messages() { mqctl -q list_queues name messages 2>/dev/null | awk '/delay/ {s += $2} END {print s + 0}'; }
relay_drained() { for _ in $(seq 1 120); do [ "$(checks_left)" -eq 0 ] && return; sleep 1; done; say "# checks left: $(checks_left)"; }

idle() { # seconds label
  local m0 m1 t0 t1
  m0=$(mq_ticks); t0=$(date +%s.%N); sleep "$1"; m1=$(mq_ticks); t1=$(date +%s.%N)
  IDLE_TPS=$(echo "($m1-$m0)/($t1-$t0)" | bc -l)
  say "idle_$2 seconds=$(printf '%.1f' "$(echo "$t1-$t0" | bc -l)") beam_ticks=$((m1 - m0)) beam_cpu_pct=$(printf '%.2f' "$(echo "$IDLE_TPS*100/$HZ" | bc -l)")"
}
measure() { # name script: wrk for DURATION, then until the relay published every check; broker ticks over all of it
  local name=$1 script=$2 m0 m1 t0 t1 c0 c1 line n secs net q0 q1
  relay_drained
  q0=$(lane_messages); c0=$(checks_published); m0=$(mq_ticks); t0=$(date +%s.%N)
  line=$(wrk -t$THREADS -c32 -d"$DURATION" -s "$BENCH_DIR/$script" "$URL" | grep '^RESULT' || echo "RESULT failed")
  relay_drained
  m1=$(mq_ticks); t1=$(date +%s.%N); c1=$(checks_published); q1=$(lane_messages)
  n=$(echo "$line" | grep -o 'requests=[0-9]*' | cut -d= -f2)
  secs=$(echo "$t1-$t0" | bc -l)
  net=$(echo "($m1-$m0) - $IDLE_TPS*$secs" | bc -l)
  say "$name requests=$n checks_published=$((c1 - c0)) amqp_messages=$((q1 - q0)) seconds=$(printf '%.1f' "$secs") beam_ticks=$((m1 - m0)) \
beam_ms_per_req=$(printf '%.4f' "$(echo "($m1-$m0)*1000/$HZ/$n" | bc -l)") \
beam_ms_per_req_above_idle=$(printf '%.4f' "$(echo "$net*1000/$HZ/$n" | bc -l)") \
idle_share=$(printf '%.0f' "$(echo "100*$IDLE_TPS*$secs/($m1-$m0)" | bc -l)")% ${line#RESULT } load_after=\"$(load)\""
}

idle "$IDLE" app_connected
say "# warm-up (unmeasured): 20 s lock_open, 20 s lock_join"
wrk -t$THREADS -c32 -d20s -s "$BENCH_DIR/lock_open.lua" "$URL" >/dev/null
wrk -t$THREADS -c32 -d20s -s "$BENCH_DIR/lock_join.lua" "$URL" >/dev/null
relay_drained
idle "$IDLE" after_warmup
for _ in 1 2; do
  measure lock_open lock_open.lua
  measure lock_join lock_join.lua
done
say "# broker queues: $(mqctl -q list_queues name messages durable arguments 2>/dev/null | tr '\t\n' ' ;')"
stop_app
idle "$IDLE" app_stopped

# The message, feature by feature, on the same node (app stopped).
CP="$HOME/.m2/repository/com/rabbitmq/amqp-client/5.25.0/amqp-client-5.25.0.jar:$HOME/.m2/repository/org/slf4j/slf4j-api/2.0.17/slf4j-api-2.0.17.jar"
[ "${MODES:-x}" = none ] || java -cp "$CP" "$BENCH_DIR/MqCost.java" "$MQPORT" "$MQPID" "$N" "${PAGE:-32}" ${MODES:-app app transient noconfirm nomandatory nottl expire bundle8 bundle32 expirebundle8} 2>/dev/null | while read -r l; do
  secs=$(echo "$l" | grep -o 'seconds=[0-9.]*' | cut -d= -f2); ticks=$(echo "$l" | grep -o 'beam_ticks=[0-9]*' | cut -d= -f2)
  say "$l us_per_check_above_idle=$(printf '%.1f' "$(echo "($ticks - $IDLE_TPS*$secs)*1000000/$HZ/$N" | bc -l)")"
done
say "# raw results in $OUT"
