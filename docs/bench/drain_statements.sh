#!/usr/bin/env bash
# What one HTTP callback of the compensation drain costs, in counts (issue 19, #19 branch httpdrain):
#   bash docs/bench/drain_statements.sh          (N=20000 due HTTP tasks by default)
# Not a timing benchmark: no rate is printed. Like statements.sh it starts a private MariaDB (fresh data dir, port
# DBPORT, performance_schema on) and a private Redis, so every counter is the app's alone; the app connects as a user
# of its own (gbm), so its statements are told apart from this script's polls. The app runs as in drain.sh (prod jar,
# dev profile, WARN logging, local notify scheduler every 1 s, every other scheduler off, MQ off), and drains N HTTP
# tasks made due in one statement to its own test receiver (/api/v1/test/group_buy_notify), after a warm-up drain of
# WARMUP tasks. Printed per task: statements by kind (performance_schema, user gbm), the statement shapes (digests) with
# their counts, lease statements (claims) and tasks per claim, deferrals (#17: tasks put back unsent), the bulkhead's
# and breaker's refusals (gbm.notify.not.sent), attempts; app_cpu_ms / db_cpu_ms per task as a cost figure (a shared
# machine: indicative only). JFR=1 records the drain (not the warm-up) and appends the profile's shares
# (docs/bench/jfr_top.py). APP_ARGS passes settings to the app. Writes docs/bench/results/<date>-<commit>-drain-statements.txt.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
N=${N:-20000}
WARMUP=${WARMUP:-5000}
DBPORT=${DBPORT:-3397}
REDISPORT=${REDISPORT:-6397}
PORT=${PORT:-18094}
APP_ARGS=${APP_ARGS:-}
JFR=${JFR:-0}
TIMEOUT=${TIMEOUT:-600}
PREFIX="drainstmt$$:"
URL="http://127.0.0.1:$PORT"
TAG=${TAG:-}
OUT="$ROOT/docs/bench/results/$(date -u +%Y%m%d-%H%M)-$(git -C "$ROOT" rev-parse --short HEAD)-drain-statements${TAG:+-$TAG}.txt"
WORK=$(mktemp -d /tmp/gbm-drain-statements.XXXXXX)
mkdir -p "$ROOT/docs/bench/results"

. "$ROOT/docs/bench/lib.sh"
trap bench_cleanup EXIT
trap 'exit 1' INT TERM

say "# HTTP drain, counts per callback $(date -u +%FT%TZ) commit $(git -C "$ROOT" rev-parse --short HEAD); N=$N warmup=$WARMUP app_args='$APP_ARGS' jfr=$JFR; load $(load)"
say_if_tree_differs

start_private_mariadb --performance-schema=ON --performance-schema-digests-size=2000
# The fresh data dir's anonymous ''@localhost would match before gbm@'%': gbm gets a localhost account of its own.
sql -e "CREATE DATABASE gbm_drain CHARACTER SET utf8mb4; DROP USER IF EXISTS ''@'localhost';
        CREATE USER gbm@'localhost' IDENTIFIED BY 'gbm'; GRANT ALL ON *.* TO gbm@'localhost';
        CREATE USER gbm@'127.0.0.1' IDENTIFIED BY 'gbm'; GRANT ALL ON *.* TO gbm@'127.0.0.1'"
start_private_redis

build_jar
# shellcheck disable=SC2086
start_app "$WORK/app.log" 180 -Xms1g -Xmx1g -XX:+UseG1GC -- --spring.data.redis.port="$REDISPORT" \
  --spring.datasource.url="$(jdbc_url "$DBPORT" gbm_drain)" \
  --spring.datasource.username=gbm --spring.datasource.password=gbm \
  --gbm.redis.key-prefix="$PREFIX" --logging.level.com.groupbuy.market=WARN --xxl.job.executor.enabled=false \
  --gbm.notify.local-scheduler-delay=1s --gbm.timeout.local-scheduler-enabled=false \
  --gbm.notify.retention.local-scheduler-enabled=false --gbm.mq.enabled=false --gbm.mq.refund-consumer.enabled=false \
  $APP_ARGS

POLLS=0
# write <count> <prefix>: due tomorrow, so the scheduler cannot start before they are all made due in one statement.
write() {
  sql gbm_drain <<SQL
INSERT INTO notify_task (task_key, webhook_id, activity_id, team_id, source, channel, notify_category, notify_type,
  notify_mq, notify_url, notify_count, notify_status, parameter_json, next_attempt_time)
SELECT CONCAT('$2_', seq), CONCAT('$2-', seq), 900001, LPAD(seq MOD 100000000, 8, '0'), 's01', 'c01',
  'trade_settlement', 'HTTP', NULL, '$URL/api/v1/test/group_buy_notify', 0, 0,
  CONCAT('{"teamId":"', LPAD(seq MOD 100000000, 8, '0'), '","outTradeNoList":["x"]}'), UTC_TIMESTAMP(3) + INTERVAL 1 DAY
FROM seq_1_to_$1;
SQL
}
drain() {
  local w0 left
  w0=$(date +%s)
  sql gbm_drain -e "UPDATE notify_task SET next_attempt_time = UTC_TIMESTAMP(3)"
  while :; do
    left=$(sql gbm_drain -e "SELECT COUNT(*) FROM notify_task WHERE notify_status IN (0, 2)")
    [ "$left" -eq 0 ] && break
    [ $(( $(date +%s) - w0 )) -gt "$TIMEOUT" ] && { say "# drain timed out with $left left"; break; }
    sleep 1
  done
}
not_sent() {
  curl -fs "$URL/actuator/metrics/gbm.notify.not.sent" 2>/dev/null \
    | python3 -c 'import json,sys; print(int(sum(m["value"] for m in json.load(sys.stdin)["measurements"] if m["statistic"]=="COUNT")))' \
    2>/dev/null || echo 0
}
by_kind() {
  sql -e "SELECT REPLACE(REPLACE(REPLACE(EVENT_NAME, 'statement/sql/', ''), 'statement/com/', 'com_'), ' ', '_'),
                 SUM(COUNT_STAR)
          FROM performance_schema.events_statements_summary_by_user_by_event_name
          WHERE USER = 'gbm' AND COUNT_STAR > 0 AND EVENT_NAME NOT LIKE 'statement/abstract/%'
          GROUP BY EVENT_NAME"
}

# Warm-up: JIT, pools; not measured.
write "$WARMUP" warm
drain
sql gbm_drain -e "DELETE FROM notify_attempt; DELETE FROM notify_task"
write "$N" task

sql -e "TRUNCATE performance_schema.events_statements_summary_by_digest;
        TRUNCATE performance_schema.events_statements_summary_by_user_by_event_name"
before_kind=$(by_kind)
ns0=$(not_sent)
[ "$JFR" = 1 ] && jcmd "$APP" JFR.start name=drain settings=profile filename="$WORK/drain.jfr" >/dev/null
a0=$(cpu_ticks "$APP"); d0=$(cpu_ticks "$(mariadb_pid)")
drain
a1=$(cpu_ticks "$APP"); d1=$(cpu_ticks "$(mariadb_pid)")
[ "$JFR" = 1 ] && jcmd "$APP" JFR.stop name=drain >/dev/null
ns1=$(not_sent)
after_kind=$(by_kind)

delivered=$(sql gbm_drain -e "SELECT COUNT(*) FROM notify_task WHERE notify_status = 1")
attempts=$(sql gbm_drain -e "SELECT COUNT(*) FROM notify_attempt")
failed=$(sql gbm_drain -e "SELECT COUNT(*) FROM notify_attempt WHERE success = 0")
tries=$(sql gbm_drain -e "SELECT COALESCE(SUM(notify_count), 0) FROM notify_task")
hz=$(getconf CLK_TCK)
per() { echo "$1 / $N" | bc -l | xargs printf '%.3f'; }

digests=$(sql -e "SELECT COUNT_STAR, LEFT(REPLACE(DIGEST_TEXT, '\n', ' '), 400) FROM performance_schema.events_statements_summary_by_digest
                 WHERE SCHEMA_NAME = 'gbm_drain' AND DIGEST_TEXT NOT LIKE '%COUNT ( \\* )%'
                   AND DIGEST_TEXT NOT LIKE 'UPDATE \`notify_task\` SET \`next_attempt_time\` = UTC_TIMESTAMP%'
                 ORDER BY COUNT_STAR DESC")
count_of() { echo "$digests" | awk -F'\t' -v pat="$1" 'index($2, pat) { s += $1 } END { print s + 0 }'; }
# The lease as one UPDATE of the page's ids: a length on the database's clock since ClockSkewIT, a value before.
claims=$(( $(count_of 'SET `claimed_by` = ? , `claim_token` = ? , `claim_until` = ? WHERE ID IN') + $(count_of 'INTERVAL ? MICROSECOND WHERE ID IN') ))
deferrals=$(count_of 'UPDATE `notify_task` SET `notify_status` = ? , `next_attempt_time` = ? , `last_error` = ?')
# A page's one-statement finish: an IN list until relayalloc, a join to the page's ids as JSON_TABLE since.
finish_all=$(( $(count_of 'WHERE `claim_token` = ? AND ID IN') + $(count_of 'UPDATE `notify_task` `t` JOIN JSON_TABLE') ))
finish_each=$(count_of 'WHERE ID = ? AND `claim_token` = ?')

line="http_drain_counts tasks=$N delivered=$delivered attempts=$attempts failed_attempts=$failed tries=$tries"
line="$line claims=$claims tasks_per_claim=$(echo "$N / ($claims + 0.000001)" | bc -l | xargs printf '%.1f')"
line="$line deferrals=$deferrals not_sent=$((ns1 - ns0)) finish_in_one_statement=$finish_all finish_task_by_task_statements=$finish_each"
while IFS=$'\t' read -r name count; do
  [ -n "$name" ] || continue
  b=$(echo "$before_kind" | awk -F'\t' -v n="$name" '$1 == n { print $2 }')
  line="$line $name=$(per "$(( count - ${b:-0} ))")"
done <<< "$(echo "$after_kind" | sort)"
line="$line app_cpu_ms=$(echo "($a1 - $a0) * 1000 / $hz / $N" | bc -l | xargs printf '%.3f')"
line="$line db_cpu_ms=$(echo "($d1 - $d0) * 1000 / $hz / $N" | bc -l | xargs printf '%.3f') load=\"$(load)\""
say "$line"
say "# statement shapes of user gbm during the drain (count per task, count, digest):"
echo "$digests" | awk -F'\t' -v n="$N" '{ printf "#   %.3f %d %s\n", $1 / n, $1, $2 }' | cut -c1-260 | head -25 | tee -a "$OUT"
if [ "$JFR" = 1 ]; then
  jfr print --stack-depth 100 --events jdk.ExecutionSample "$WORK/drain.jfr" >"$WORK/samples.txt"
  say "# JFR profile of the drain (jdk.ExecutionSample, docs/bench/jfr_top.py): shares of samples"
  python3 "$ROOT/docs/bench/jfr_top.py" "$WORK/samples.txt" | sed 's/^/#   /' | tee -a "$OUT"
fi
say "# raw results in ${OUT#"$ROOT"/}"
