#!/usr/bin/env bash
# The settlement payment's temporary table, on MariaDB alone (#19, branch settle3):
#   bash docs/bench/settle_tmp_table.sh [rounds]      (default 2 rounds of every shape, A L O T S A L O T S)
# A private mariadbd (socket only, fresh data dir under /tmp, innodb_flush_log_at_trx_commit=FLUSH, default 1 as in
# the benchmarks) with the two tables of V1..V12 (group_buy_order, group_buy_order_list as the app's migrations leave
# them) and 10,000 teams of 3 locked orders. Each shape then pays all 30,000 orders in one client session (the 1st and
# 2nd of a team with the "leaves places" guard, the 3rd with the "last place" guard, as SettlementRepository does), and
# the line says the mariadbd's CPU ticks per payment (utime + stime: for direction only on a shared machine) and the
# server's counters per payment. Shapes:
#   A  the app's statement: UPDATE order STRAIGHT_JOIN team SET both ... (one guarded statement)
#   T  the same with the team first in the join (the order's row then goes through the temporary table instead)
#   L  the same join and guards, only the order's columns set (no temporary table; pays no team: a reference)
#   O  the team's row alone, single-table UPDATE with its guards (a reference)
#   S  BEGIN; UPDATE order; UPDATE team; COMMIT (two single-table statements, four round trips)
set -euo pipefail
ROUNDS=${1:-2}
FLUSH=${FLUSH:-1}
W=$(mktemp -d /tmp/gbm-tmp-table.XXXXXX)
S=$W/m.sock
mariadb-install-db --no-defaults --user="$(id -un)" --datadir="$W/data" --auth-root-authentication-method=normal >/dev/null 2>&1
/usr/sbin/mariadbd --no-defaults --user="$(id -un)" --datadir="$W/data" --skip-networking --socket="$S" \
  --pid-file="$W/m.pid" --skip-log-bin --innodb-flush-log-at-trx-commit="$FLUSH" >"$W/m.log" 2>&1 &
trap 'kill "$(cat "$W/m.pid")" 2>/dev/null; sleep 2; rm -rf "$W"' EXIT
for _ in $(seq 1 60); do mariadb -uroot -S "$S" -e 'SELECT 1' >/dev/null 2>&1 && break; sleep 1; done
PID=$(cat "$W/m.pid")
q() { mariadb -uroot -S "$S" -N -B m -e "$1"; }
mariadb -uroot -S "$S" -e "CREATE DATABASE m"
mariadb -uroot -S "$S" m <<'SQL'
CREATE TABLE `group_buy_order` (
  `id` bigint(20) unsigned NOT NULL AUTO_INCREMENT,
  `team_id` varchar(8) NOT NULL,
  `activity_id` bigint(20) NOT NULL,
  `leader_user_id` varchar(32) NOT NULL COMMENT 'the user who opened the team',
  `source` varchar(16) NOT NULL,
  `channel` varchar(16) NOT NULL,
  `original_price` decimal(8,2) NOT NULL,
  `deduction_price` decimal(8,2) NOT NULL,
  `pay_price` decimal(8,2) NOT NULL,
  `target_count` int(11) NOT NULL,
  `complete_count` int(11) NOT NULL DEFAULT 0,
  `lock_count` int(11) NOT NULL DEFAULT 0,
  `status` tinyint(4) NOT NULL DEFAULT 0 COMMENT '0 in progress, 1 complete, 2 failed, 3 complete with a refund',
  `valid_start_time` datetime(3) NOT NULL,
  `valid_end_time` datetime(3) NOT NULL,
  `notify_type` varchar(8) NOT NULL DEFAULT 'HTTP',
  `notify_mq` varchar(64) DEFAULT NULL COMMENT 'notifyMQ as the lock gave it (recorded, not used for routing)',
  `notify_url` varchar(512) DEFAULT NULL,
  `create_time` datetime(3) NOT NULL DEFAULT current_timestamp(3),
  `update_time` datetime(3) NOT NULL DEFAULT current_timestamp(3) ON UPDATE current_timestamp(3),
  PRIMARY KEY (`id`),
  UNIQUE KEY `uq_team_id` (`team_id`),
  KEY `idx_activity_status_end` (`activity_id`,`status`,`valid_end_time`),
  KEY `idx_status_end` (`status`,`valid_end_time`),
  CONSTRAINT `ck_team_counts` CHECK (`complete_count` <= `target_count` and `lock_count` <= `target_count` and `complete_count` >= 0 and `lock_count` >= 0)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin COMMENT='team';
CREATE TABLE `group_buy_order_list` (
  `id` bigint(20) unsigned NOT NULL AUTO_INCREMENT,
  `user_id` varchar(32) NOT NULL,
  `team_id` varchar(8) NOT NULL,
  `order_id` varchar(12) NOT NULL,
  `activity_id` bigint(20) NOT NULL,
  `start_time` datetime(3) NOT NULL COMMENT 'activity start',
  `end_time` datetime(3) NOT NULL COMMENT 'activity end',
  `goods_id` varchar(16) NOT NULL,
  `source` varchar(16) NOT NULL,
  `channel` varchar(16) NOT NULL,
  `original_price` decimal(8,2) NOT NULL,
  `deduction_price` decimal(8,2) NOT NULL,
  `pay_price` decimal(8,2) NOT NULL,
  `status` tinyint(4) NOT NULL DEFAULT 0 COMMENT '0 locked, 1 paid, 2 closed/refunded',
  `out_trade_no` varchar(32) NOT NULL,
  `out_trade_time` datetime(3) DEFAULT NULL,
  `biz_id` varchar(64) DEFAULT NULL COMMENT 'activity_user_take-sequence while the order holds a take; makes the take limit hold in the DB',
  `create_time` datetime(3) NOT NULL DEFAULT current_timestamp(3),
  `update_time` datetime(3) NOT NULL DEFAULT current_timestamp(3) ON UPDATE current_timestamp(3),
  PRIMARY KEY (`id`),
  UNIQUE KEY `uq_order_id` (`order_id`),
  UNIQUE KEY `uq_partner_user_out_trade_no` (`user_id`,`out_trade_no`,`source`,`channel`),
  UNIQUE KEY `uq_biz_id` (`biz_id`),
  KEY `idx_activity_user` (`activity_id`,`user_id`),
  KEY `idx_status_create` (`status`,`create_time`),
  KEY `idx_team` (`team_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin COMMENT='member order of a team';
SQL
python3 - "$W" <<'PY'
import sys
w, n = sys.argv[1], 10000
with open(f'{w}/data.sql', 'w') as f:
    f.write("SET autocommit=0;\n")
    for t in range(n):
        f.write(f"INSERT INTO group_buy_order (team_id,activity_id,leader_user_id,source,channel,original_price,deduction_price,pay_price,target_count,complete_count,lock_count,status,valid_start_time,valid_end_time,notify_url) VALUES ('t{t:07d}',900001,'u{t}a','s01','c01',100,20,80,3,0,3,0,NOW(3),NOW(3)+INTERVAL 1 HOUR,'http://127.0.0.1:1/x');\n")
        for m in range(3):
            f.write(f"INSERT INTO group_buy_order_list (user_id,team_id,order_id,activity_id,start_time,end_time,goods_id,source,channel,original_price,deduction_price,pay_price,status,out_trade_no,biz_id) VALUES ('u{t}{m}','t{t:07d}','o{t:07d}{m}',900001,NOW(3),NOW(3),'bench01','s01','c01',100,20,80,0,'x{t}{m}','b{t}{m}');\n")
    f.write("COMMIT;\n")
def pay(t, m, shape):
    cmp, team_to = ('=', 1) if m == 2 else ('<', 0)
    order = f"l.order_id = 'o{t:07d}{m}' AND l.status = 0"
    team = f"o.team_id = 't{t:07d}' AND o.status = 0 AND o.complete_count + 1 {cmp} o.target_count"
    set_l = "l.status = 1, l.out_trade_time = NOW(3)"
    set_o = f"o.complete_count = o.complete_count + 1, o.status = {team_to}"
    if shape == 'A':
        return f"UPDATE group_buy_order_list l STRAIGHT_JOIN group_buy_order o ON o.team_id = l.team_id SET {set_l}, {set_o} WHERE {order} AND {team};\n"
    if shape == 'T':
        return f"UPDATE group_buy_order o STRAIGHT_JOIN group_buy_order_list l ON l.team_id = o.team_id SET {set_l}, {set_o} WHERE {order} AND {team};\n"
    if shape == 'L':
        return f"UPDATE group_buy_order_list l STRAIGHT_JOIN group_buy_order o ON o.team_id = l.team_id SET {set_l} WHERE {order} AND {team};\n"
    if shape == 'O':
        return f"UPDATE group_buy_order o SET {set_o} WHERE {team};\n"
    return f"BEGIN;\nUPDATE group_buy_order_list l SET {set_l} WHERE {order};\nUPDATE group_buy_order o SET {set_o} WHERE {team};\nCOMMIT;\n"
for shape in 'ATLOS':
    with open(f'{w}/pay_{shape}.sql', 'w') as f:
        for t in range(n):
            for m in range(3):
                f.write(pay(t, m, shape))
PY
mariadb -uroot -S "$S" m <"$W/data.sql"
st() { q "SHOW GLOBAL STATUS" | awk '$1 ~ /^(Created_tmp_tables|Handler_tmp_write|Handler_read_rnd|Handler_read_rnd_next|Handler_read_key|Handler_update|Questions|Innodb_buffer_pool_write_requests)$/'; }
for _ in $(seq 1 "$ROUNDS"); do
  for shape in A L O T S; do
    q "UPDATE group_buy_order SET complete_count = 0, status = 0; UPDATE group_buy_order_list SET status = 0, out_trade_time = NULL"
    sleep 1
    st >"$W/b"; c0=$(awk '{print $14 + $15}' "/proc/$PID/stat")
    mariadb -uroot -S "$S" m <"$W/pay_$shape.sql"
    c1=$(awk '{print $14 + $15}' "/proc/$PID/stat"); st >"$W/a"
    echo "$shape flush=$FLUSH cpu_us_per_payment=$(( (c1 - c0) * 1000000 / $(getconf CLK_TCK) / 30000 )) paid(teams' count, complete)=[$(q "SELECT SUM(complete_count), SUM(status) FROM group_buy_order" | tr '\t' ' ')] load=$(cut -d' ' -f1 /proc/loadavg) $(paste "$W/b" "$W/a" | awk '{printf "%s=%.2f ", $1, ($4 - $2) / 30000}')"
  done
done
