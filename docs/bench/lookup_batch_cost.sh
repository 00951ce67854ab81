#!/usr/bin/env bash
# MariaDB's CPU per lock lookup, one lookup per statement against several per statement (#19, branch lockcpu):
#   bash docs/bench/lookup_batch_cost.sh /tmp/gbm-lock-profile.XXXX/data    (LOOKUPS=20000, BATCHES="1 5 20", ROUNDS=3)
# The lock's first read (IGroupBuyOrderListDao.queryByOutTradeNoWithLiveTakes: the partner's order by
# uq_partner_user_out_trade_no, the user's live takes by idx_activity_user) sent as text, as Connector/J's client-side
# prepared statements send it, over one connection, for LOOKUPS keys of real rows; BATCH > 1 sends BATCH keys per
# statement as a UNION ALL derived table with the same two correlated subqueries per key. Counted: mariadbd's CPU
# ticks (/proc, 10 ms) and Questions over the fixed number of lookups. Runs on a COPY of a stopped lock_profile.sh
# data dir (KEEP_WORK=1 keeps it; its gbm_lockprof has the profile's rows), on DBPORT. Not a timing benchmark.
set -euo pipefail
DATA=$1
LOOKUPS=${LOOKUPS:-20000}
BATCHES=${BATCHES:-"1 5 20"}
ROUNDS=${ROUNDS:-3}
DBPORT=${DBPORT:-3424}
W=$(mktemp -d /tmp/gbm-lookup-cost.XXXXXX)
cp -a "$DATA" "$W/data"
/usr/sbin/mariadbd --no-defaults --user="$(id -un)" --datadir="$W/data" --port="$DBPORT" --bind-address=127.0.0.1 \
  --socket="$W/m.sock" --pid-file="$W/m.pid" --skip-log-bin >"$W/m.log" 2>&1 &
sql() { mariadb -uroot -h127.0.0.1 -P"$DBPORT" --protocol=TCP -N -B gbm_lockprof "$@"; }
for _ in $(seq 1 60); do sql -e 'SELECT 1' >/dev/null 2>&1 && break; sleep 1; done
trap 'kill "$(cat "$W/m.pid")" 2>/dev/null || true; sleep 2; rm -rf "$W"' EXIT
sql -e "SELECT source, channel, user_id, out_trade_no, activity_id FROM group_buy_order_list ORDER BY RAND()
  LIMIT $LOOKUPS" >"$W/keys"
n=$(wc -l <"$W/keys")
python3 - "$W" $BATCHES <<'PY'
import sys
w = sys.argv[1]
keys = [line.rstrip('\n').split('\t') for line in open(w + '/keys')]
LOOKUP = ("(SELECT o.order_id FROM group_buy_order_list o WHERE o.user_id = {u} AND o.out_trade_no = {o}"
          " AND o.source = {s} AND o.channel = {c}) AS order_id,"
          " (SELECT COUNT(*) FROM group_buy_order_list t WHERE t.activity_id = {a} AND t.user_id = {u}"
          " AND t.source = {s} AND t.channel = {c} AND t.status <> 2) AS live_takes")
q = lambda v: "'" + v + "'"
for b in map(int, sys.argv[2:]):
    with open(f'{w}/batch{b}.sql', 'w') as f:
        for i in range(0, len(keys), b):
            page = keys[i:i + b]
            if b == 1:
                s, c, u, o, a = page[0]
                f.write('SELECT ' + LOOKUP.format(s=q(s), c=q(c), u=q(u), o=q(o), a=a) + ';\n')
                continue
            rows = ' UNION ALL '.join(f"SELECT {j} i, {q(s)} s, {q(c)} c, {q(u)} u, {q(o)} o, {a} a"
                                      for j, (s, c, u, o, a) in enumerate(page))
            f.write('SELECT k.i, ' + LOOKUP.format(s='k.s', c='k.c', u='k.u', o='k.o', a='k.a')
                    + ' FROM (' + rows + ') k;\n')
PY
pid=$(cat "$W/m.pid")
ticks() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
questions() { sql -e "SHOW GLOBAL STATUS LIKE 'Questions'" | awk '{print $2}'; }
echo "# lookup batch cost $(date -u +%FT%TZ): $n lookups per run, batches $BATCHES, rounds $ROUNDS; load $(cut -d' ' -f1-3 /proc/loadavg)"
for b in $BATCHES; do
  [ "$b" = 1 ] && continue
  echo "# EXPLAIN, $b per statement:"; sql -e "EXPLAIN $(head -1 "$W/batch$b.sql")" | sed 's/^/#   /'
done
echo "# EXPLAIN, one per statement:"; sql -e "EXPLAIN $(head -1 "$W/batch1.sql")" | sed 's/^/#   /'
for b in $BATCHES; do sql <"$W/batch$b.sql" >/dev/null; done # warm the buffer pool and the query paths
for round in $(seq 1 "$ROUNDS"); do
  for b in $BATCHES; do
    q0=$(questions); t0=$(ticks)
    sql <"$W/batch$b.sql" >"$W/out"
    t1=$(ticks); q1=$(questions)
    rows=$(wc -l <"$W/out")
    echo "round=$round per_statement=$b lookups=$n rows=$rows mariadbd_ticks=$((t1 - t0))" \
      "us_per_lookup=$(echo "($t1 - $t0) * 10000 / $n" | bc -l | xargs printf '%.1f')" \
      "questions_per_lookup=$(echo "($q1 - $q0 - 1) / $n" | bc -l | xargs printf '%.3f') load=$(cut -d' ' -f1 /proc/loadavg)"
  done
done
