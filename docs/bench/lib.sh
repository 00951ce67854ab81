# shellcheck shell=bash
# What the benchmark scripts of docs/bench share: sourced (. "$ROOT/docs/bench/lib.sh"), never run alone.
# A script sets ROOT and OUT before it sources this, and as it needs them WORK (its scratch dir), PORT and URL (its
# app), DBPORT (a private MariaDB), REDISPORT (a private Redis). Its EXIT trap calls bench_cleanup, which stops what the
# functions here started and removes what the script names in CLEAN_REDIS_PREFIX, CLEAN_QUEUES and CLEAN_DB.

# JAR=... (with BUILD=0) runs a jar built and copied before, so builds and tests in this tree may go on meanwhile.
JAR=${JAR:-"$ROOT/group-buy-market-app/target/group-buy-market-app.jar"}

say() { echo "$*" | tee -a "$OUT"; }
load() { awk '{print $1, $2, $3}' /proc/loadavg; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
say_if_tree_differs() {
  [ -z "$(git -C "$ROOT" status --porcelain --untracked-files=no)" ] || say "# working tree differs from the commit"
}

# The shared MariaDB on 3306, or once start_private_mariadb ran the script's own on DBPORT.
sql() {
  if [ -n "${PRIVATE_DB:-}" ]; then
    mariadb -uroot -h127.0.0.1 -P"$DBPORT" --protocol=TCP -N -B "$@"
  else
    mariadb -uroot -h127.0.0.1 -N -B "$@"
  fi
}

# The prod jar, offline if Maven can.
build_jar() {
  [ "${BUILD:-1}" = 1 ] || return 0
  (cd "$ROOT" && mvn -q -B -o package -DskipTests -Pprod 2>/dev/null || mvn -q -B package -DskipTests -Pprod)
}

# jdbc_url <port> <database> [unbatched]: the app's datasource URL (UTC sessions; batched inserts unless unbatched).
jdbc_url() {
  local url="jdbc:mysql://127.0.0.1:$1/$2?connectionTimeZone=UTC&forceConnectionTimeZoneToSession=true&useSSL=false&allowPublicKeyRetrieval=true"
  [ "${3:-}" = unbatched ] || url="$url&rewriteBatchedStatements=true"
  echo "$url"
}

# private_app_args <database>: the app's arguments for a script's own MariaDB database (DBPORT), Redis (REDISPORT), key
# prefix (PREFIX) and close-check queues (QUEUES), otherwise as run.sh runs it (WARN, XXL executor off, the local
# compensation job every 1 s), but the refund consumer off (run.sh runs it, on queues of its own); sets the array
# PRIVATE_APP_ARGS for start_app.
private_app_args() {
  PRIVATE_APP_ARGS=(--spring.data.redis.port="$REDISPORT" --spring.datasource.url="$(jdbc_url "$DBPORT" "$1")"
    --gbm.redis.key-prefix="$PREFIX" --logging.level.com.groupbuy.market=WARN --xxl.job.executor.enabled=false
    --gbm.notify.local-scheduler-delay=1s --gbm.mq.refund-consumer.enabled=false
    --gbm.close-check.queue="$QUEUES" --gbm.close-check.dead-letter-queue="$QUEUES.dead"
    --gbm.close-check.lane-prefix="$QUEUES.delay.")
}

# start_private_mariadb [mariadbd option ...]: a MariaDB of the script's own (the same binary, a fresh data dir in
# WORK, port DBPORT), so the database's counters are the app's alone; sql talks to it from then on.
start_private_mariadb() {
  mariadb-install-db --no-defaults --user="$(id -un)" --datadir="$WORK/data" --auth-root-authentication-method=normal \
    >/dev/null 2>&1
  /usr/sbin/mariadbd --no-defaults --user="$(id -un)" --datadir="$WORK/data" --port="$DBPORT" --bind-address=127.0.0.1 \
    --socket="$WORK/mariadb.sock" --pid-file="$WORK/mariadb.pid" --skip-log-bin "$@" >"$WORK/mariadb.log" 2>&1 &
  PRIVATE_DB=1
  for _ in $(seq 1 60); do sql -e 'SELECT 1' >/dev/null 2>&1 && break; sleep 1; done
}
mariadb_pid() { cat "$WORK/mariadb.pid"; }
# The shared MariaDB's pid: the mariadbd that listens on 3306. Not the first of `pidof mariadbd`, which lists the
# newest first: another engineer's private MariaDB, when one runs.
shared_mariadb_pid() { ss -ltnpH "sport = :3306" | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2; }

# start_private_redis: a redis-server of the script's own on REDISPORT, no persistence (REDIS: its pid).
start_private_redis() {
  redis-server --port "$REDISPORT" --bind 127.0.0.1 --save '' --appendonly no --dir "$WORK" >"$WORK/redis.log" 2>&1 &
  REDIS=$!
  for _ in $(seq 1 30); do redis-cli -p "$REDISPORT" ping >/dev/null 2>&1 && break; sleep 0.2; done
}

# start_app <log> <seconds> [java option ...] -- [app argument ...]: the jar on the dev profile on PORT, in the
# background (APP: its pid), then wait_healthy.
start_app() {
  local log=$1 seconds=$2 jvm=()
  shift 2
  while [ $# -gt 0 ] && [ "$1" != -- ]; do jvm+=("$1"); shift; done
  [ $# -gt 0 ] && shift
  java "${jvm[@]}" -jar "$JAR" --spring.profiles.active=dev --server.port="$PORT" "$@" >"$log" 2>&1 &
  APP=$!
  wait_healthy "$log" "$seconds"
}

# wait_healthy <log> <seconds> [text]: until the app's health check answers (and its answer holds text), at most
# that many seconds; otherwise the log's tail and exit 1.
wait_healthy() {
  local log=$1 seconds=$2 want=${3:-} health
  for _ in $(seq 1 "$seconds"); do curl -fs "$URL/actuator/health" >/dev/null 2>&1 && break; sleep 1; done
  health=$(curl -fs "$URL/actuator/health") && [[ "$health" == *"$want"* ]] || { tail -50 "$log"; exit 1; }
}

stop_app() {
  if [ -n "${APP:-}" ]; then
    kill "$APP" 2>/dev/null || true
    wait "$APP" 2>/dev/null || true
    APP=
  fi
}

# seed_bench_goods <database>: the goods, discount and activity 900001 (teams of 3) the lua scripts lock and settle.
seed_bench_goods() {
  sql "$1" <<'SQL'
INSERT INTO group_buy_discount (discount_id, discount_name, discount_type, market_plan, market_expr)
VALUES ('bench01', 'bench 20 off', 0, 'ZJ', '20');
INSERT INTO sku (source, channel, goods_id, goods_name, original_price) VALUES ('s01', 'c01', 'bench01', 'bench goods', 100.00);
INSERT INTO group_buy_activity (activity_id, activity_name, discount_id, group_type, take_limit_count, target, valid_time,
  status, start_time, end_time) VALUES (900001, 'bench', 'bench01', 0, 1, 3, 600, 1,
  UTC_TIMESTAMP(3) - INTERVAL 1 HOUR, UTC_TIMESTAMP(3) + INTERVAL 1 YEAR);
INSERT INTO sc_sku_activity (source, channel, goods_id, activity_id) VALUES ('s01', 'c01', 'bench01', 900001);
SQL
}

# The C2 compiler's CPU ticks in the app. Its thread name has a space, so /proc stat is read after the "(comm)" field.
c2_ticks() {
  local t=0 d
  for d in /proc/$APP/task/*; do
    grep -q '^C2 Compiler' "$d/comm" 2>/dev/null || continue
    t=$((t + $(sed 's/^.*) //' "$d/stat" | awk '{print $12 + $13}')))
  done
  echo $t
}

# warm_up <conns> <step> <label>: JIT, pools, caches. Rounds of wrk alternating lock_open and lock_join (THREADS
# threads, <step> each) until C2's share of the app's CPU in a round is below WARMUP_C2_PCT (default 5) after at least
# two rounds, at most WARMUP_ROUNDS (default 12). Each round says its share; <label> is the printf format of what the
# line names in brackets, %s the scenario.
warm_up() {
  local conns=$1 step=$2 label=$3 round script a0 a1 k0 k1 share
  for round in $(seq 1 "${WARMUP_ROUNDS:-12}"); do
    a0=$(cpu_ticks "$APP"); k0=$(c2_ticks)
    script=lock_join.lua; [ $((round % 2)) -eq 1 ] && script=lock_open.lua
    wrk -t"$THREADS" -c"$conns" -d"$step" -s "$BENCH_DIR/$script" "$URL" >/dev/null
    a1=$(cpu_ticks "$APP"); k1=$(c2_ticks)
    share=$(( (k1 - k0) * 100 / (a1 - a0 > 0 ? a1 - a0 : 1) ))
    # shellcheck disable=SC2059
    say "# warm-up round $round ($(printf "$label" "${script%.lua}")): C2 compiler ${share}% of app CPU; load $(load)"
    [ "$round" -ge 2 ] && [ "$share" -lt "${WARMUP_C2_PCT:-5}" ] && break
  done
  return 0
}

# wrk's main thread sleeps out its -d even after every thread stopped itself; so wrk runs in the background until the
# database has counted the requests (or stops moving for 5 s), then gets the SIGINT that ends it early with its summary.
run_until() { # run_until <count-function> <target> <wrk argument...> (wrk's output in $WORK/wrk.out)
  local count=$1 target=$2 w now last=-1 still=0
  shift 2
  wrk "$@" > "$WORK/wrk.out" &
  w=$!
  while kill -0 "$w" 2>/dev/null; do
    now=$($count)
    [ "$now" -ge "$target" ] && break
    if [ "$now" = "$last" ]; then still=$((still + 1)); [ $still -ge 10 ] && break; else still=0; fi
    last=$now
    sleep 0.5
  done
  kill -INT "$w" 2>/dev/null || true
  wait "$w" 2>/dev/null || true
  grep '^RESULT' "$WORK/wrk.out" | grep -o 'http_errors=[0-9]* business_errors=[0-9]*' || echo "http_errors=? business_errors=?"
}

# start_receiver: the partner's callback receiver in a process of its own (docs/bench/NotifyReceiver.java: plain JDK
# HTTP server answering `success`), on RECEIVERPORT (a free port by default); RECEIVER: its pid, RECEIVER_URL: the
# notify URL to give the app, RECEIVER_COUNT: the file it writes its count of callbacks to (#19: the app's own test
# receiver put the partner's work into the app's CPU per settlement). Stopped by bench_cleanup.
start_receiver() {
  RECEIVERPORT=${RECEIVERPORT:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')}
  local dir=${WORK:-$(mktemp -d)}
  RECEIVER_COUNT="$dir/receiver.count"
  java -Xms64m -Xmx64m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 "$BENCH_DIR/NotifyReceiver.java" "$RECEIVERPORT" \
    "$RECEIVER_COUNT" >"$dir/receiver.log" 2>&1 &
  RECEIVER=$!
  for _ in $(seq 1 60); do grep -q '^ready' "$dir/receiver.log" 2>/dev/null && break; sleep 0.5; done
  grep -q '^ready' "$dir/receiver.log" || { cat "$dir/receiver.log"; exit 1; }
  RECEIVER_URL="http://127.0.0.1:$RECEIVERPORT/group_buy_notify"
}
receiver_count() { cat "${RECEIVER_COUNT:-/nonexistent}" 2>/dev/null || echo 0; }

# delete_queues <prefix>: every queue on the local RabbitMQ whose name starts with it.
delete_queues() {
  local q
  for q in $(rabbitmqctl -q list_queues name 2>/dev/null | grep "^$1" || true); do
    rabbitmqctl -q delete_queue "$q" >/dev/null 2>&1 || true
  done
}

# The EXIT trap's work: the app and the private servers stopped, then (2 s later, when they have let go) the shared
# Redis's keys under CLEAN_REDIS_PREFIX, the queues under CLEAN_QUEUES and the shared database CLEAN_DB removed, and
# WORK unless KEEP_WORK=1.
bench_cleanup() {
  stop_app
  if [ -n "${RECEIVER:-}" ]; then kill "$RECEIVER" 2>/dev/null || true; RECEIVER=; fi
  if [ -n "${WORK:-}" ] && [ -f "$WORK/mariadb.pid" ]; then kill "$(cat "$WORK/mariadb.pid")" 2>/dev/null || true; fi
  if [ -n "${REDIS:-}" ]; then kill "$REDIS" 2>/dev/null || true; fi
  sleep 2
  if [ -n "${CLEAN_REDIS_PREFIX:-}" ]; then
    redis-cli --scan --pattern "${CLEAN_REDIS_PREFIX}*" | xargs -r -n 500 redis-cli del >/dev/null || true
  fi
  if [ -n "${CLEAN_QUEUES:-}" ]; then delete_queues "$CLEAN_QUEUES"; fi
  if [ -n "${CLEAN_DB:-}" ]; then PRIVATE_DB='' sql -e "DROP DATABASE IF EXISTS $CLEAN_DB" || true; fi
  if [ -n "${WORK:-}" ] && [ "${KEEP_WORK:-0}" != 1 ]; then rm -rf "$WORK"; fi
  return 0
}
