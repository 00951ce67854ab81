#!/usr/bin/env bash
# How MariaDB runs the outbox's page statements on a notify_task of run.sh's size (issue 19, branch drainwhy):
#   DBPORT=... bash docs/bench/finish_plan.sh        (ROWS=500000 done tasks, DUE=100000 due HTTP tasks by default)
# A private MariaDB (fresh data dir, port DBPORT, the shared server's 128 MB buffer pool), the app's migrations
# applied in order, notify_task filled as run.sh leaves it before its drain (ROWS rows in status 1, then DUE due rows),
# a page of PAGE due tasks leased under one token; then for each statement the page is finished with (relayalloc's
# JOIN JSON_TABLE finish, the IN list before it, the attempt rows as INSERT ... SELECT over JSON_TABLE and as a
# multi-row INSERT): its EXPLAIN, its ANALYZE (rows read per table) and the session's Handler_read_* / Handler_update /
# Handler_write for one execution. Counts, no timing. Writes docs/bench/results/<date>-<commit>-finish-plan.txt.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
DBPORT=${DBPORT:-3398}
ROWS=${ROWS:-500000}
DUE=${DUE:-100000}
PAGE=${PAGE:-16}
OUT="$ROOT/docs/bench/results/$(date -u +%Y%m%d-%H%M)-$(git -C "$ROOT" rev-parse --short HEAD)-finish-plan.txt"
WORK=$(mktemp -d /tmp/gbm-finish-plan.XXXXXX)
MIGRATIONS="$ROOT/group-buy-market-app/src/main/resources/db/migration"

. "$ROOT/docs/bench/lib.sh"
trap bench_cleanup EXIT

say "# finish statements on a big notify_task $(date -u +%FT%TZ) commit $(git -C "$ROOT" rev-parse --short HEAD); rows=$ROWS due=$DUE page=$PAGE; $(mariadb --version | grep -o 'Distrib [^,]*')"
start_private_mariadb --innodb-buffer-pool-size=128M
sql -e "CREATE DATABASE gbm_plan CHARACTER SET utf8mb4"
for f in $(ls "$MIGRATIONS" | sort -t_ -k1.2 -n); do sql gbm_plan < "$MIGRATIONS/$f"; done

fill() { # <count> <prefix> <status> <next_attempt_time>
  sql gbm_plan <<SQL
INSERT INTO notify_task (task_key, webhook_id, activity_id, team_id, source, channel, notify_category, notify_type,
  notify_url, notify_count, notify_status, parameter_json, next_attempt_time)
SELECT CONCAT('$2_', seq), CONCAT('$2-', seq), 900001, LPAD(seq MOD 100000000, 8, '0'), 's01', 'c01',
  'trade_settlement', 'DELAY', NULL, 1, $3, CONCAT('{"teamId":"', LPAD(seq MOD 100000000, 8, '0'), '","closeAt":1,"delayMs":600000}'), $4
FROM seq_1_to_$1;
SQL
}
fill "$ROWS" done 1 "UTC_TIMESTAMP(3)"
fill "$DUE" drain 0 "UTC_TIMESTAMP(3)"
sql gbm_plan -e "UPDATE notify_task SET notify_type = 'HTTP', notify_count = 0, notify_url = 'http://127.0.0.1:1/x' WHERE notify_status = 0;
                 ANALYZE TABLE notify_task, notify_attempt" >/dev/null
ids=$(sql gbm_plan -e "SELECT GROUP_CONCAT(id ORDER BY id) FROM (SELECT id FROM notify_task WHERE notify_status = 0 ORDER BY id LIMIT $PAGE) p")
first=${ids%%,*}
say "# notify_task $(sql gbm_plan -e 'SELECT COUNT(*) FROM notify_task') rows; page ids $ids"

lease="UPDATE notify_task SET claimed_by = 'w', claim_token = 'tok', claim_until = UTC_TIMESTAMP(3) + INTERVAL 1 MINUTE WHERE id IN ($ids)"
finish_join="UPDATE notify_task t JOIN JSON_TABLE('[$ids]', '\$[*]' COLUMNS (id BIGINT PATH '\$')) page ON t.id = page.id
  SET t.notify_status = 1, t.notify_count = t.notify_count + 1, t.next_attempt_time = UTC_TIMESTAMP(3), t.last_error = NULL,
      t.claimed_by = NULL, t.claim_token = NULL, t.claim_until = NULL WHERE t.claim_token = 'tok'"
finish_in="UPDATE notify_task SET notify_status = 1, notify_count = notify_count + 1, next_attempt_time = UTC_TIMESTAMP(3),
      last_error = NULL, claimed_by = NULL, claim_token = NULL, claim_until = NULL WHERE claim_token = 'tok' AND id IN ($ids)"
triples=$(echo "$ids" | tr ',' '\n' | awk '{ printf "%s[%s,1,3]", (NR > 1 ? "," : ""), $1 }')
attempts_select="INSERT INTO notify_attempt (task_id, attempt_no, attempt_time, http_status, latency_ms, success, error)
  SELECT page.task_id, page.attempt_no, UTC_TIMESTAMP(3), 200, page.latency_ms, 1, NULL
  FROM JSON_TABLE('[$triples]', '\$[*]' COLUMNS (task_id BIGINT UNSIGNED PATH '\$[0]', attempt_no INT PATH '\$[1]', latency_ms INT PATH '\$[2]')) page"
values=$(echo "$ids" | tr ',' '\n' | awk '{ printf "%s(%s, 1, UTC_TIMESTAMP(3), 200, 3, 1, NULL)", (NR > 1 ? ", " : ""), $1 }')
attempts_values="INSERT INTO notify_attempt (task_id, attempt_no, attempt_time, http_status, latency_ms, success, error) VALUES $values"

# counted <label> <statement>: the statement once in a fresh session, inside a transaction rolled back, after the lease.
counted() {
  say "## $1"
  sql gbm_plan -e "EXPLAIN $2" | sed 's/^/#   /' | tee -a "$OUT"
  sql gbm_plan -e "$lease; SET autocommit = 0; FLUSH STATUS; $2; SELECT ROW_COUNT();
                   SHOW SESSION STATUS WHERE Variable_name LIKE 'Handler_read%' OR Variable_name IN ('Handler_update', 'Handler_write');
                   ROLLBACK" | tr '\n' ' ' | sed 's/^/#   row count, handler counts: /; s/$/\n/' | tee -a "$OUT"
  sql gbm_plan -e "$lease; SET autocommit = 0; ANALYZE FORMAT=JSON $2; ROLLBACK" \
    | python3 -c '
import json, sys
text = sys.stdin.read().replace("\\n", "\n")
plan = json.loads(text[text.index("{"):])
def walk(node):
    if isinstance(node, dict):
        if "table_name" in node:
            print("#   analyze: table %s access %s key %s rows(est) %s r_rows %s r_total_filtered %s" % (
                node.get("table_name"), node.get("access_type"), node.get("key"), node.get("rows"),
                node.get("r_rows"), node.get("r_total_filtered")))
        for v in node.values():
            walk(v)
    elif isinstance(node, list):
        for v in node:
            walk(v)
walk(plan)' | tee -a "$OUT"
}
counted "finishAll, JOIN JSON_TABLE (relayalloc, cb29254)" "$finish_join"
counted "finishAll, IN list (before cb29254)" "$finish_in"
counted "insertAttemptsAlike, INSERT ... SELECT FROM JSON_TABLE (cb29254)" "$attempts_select"
counted "insertAttempt batch rewritten as one multi-row INSERT (before cb29254)" "$attempts_values"
say "# raw results in ${OUT#"$ROOT"/}"
