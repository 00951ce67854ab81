package com.groupbuy.market.foundation;

import static com.groupbuy.market.support.TestJson.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.groupbuy.market.domain.outbox.service.DueCallbackDeliveryService;
import com.groupbuy.market.domain.switches.model.valobj.SwitchName;
import com.groupbuy.market.domain.switches.service.LiveSwitchService;
import com.groupbuy.market.domain.trade.service.timeout.TradeTimeoutService;
import com.groupbuy.market.support.IsolatedDatabaseInitializer;
import com.groupbuy.market.support.PartnerReceiver;
import com.groupbuy.market.support.TradeClient;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.flywaydb.core.api.MigrationVersion;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.ContextConfiguration;

/**
 * The service started on a database that lived through the earlier releases: rows written at V1 (teams forming,
 * complete, expired and failed; orders locked, paid and closed; callbacks pending, leased by a node that is gone,
 * dead; crowd-tag rows), more at V11 (a live switch, a consumption record, a late payment), then the start migrates it
 * to the latest version. Nothing written before is lost or refused afterwards: the old team's unpaid member settles and
 * its callback goes out, the gone node's leased callback is delivered once, a paid member of an old complete team
 * refunds, the expired team closes, and a take held before the upgrade still counts.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@ContextConfiguration(initializers = UpgradeWithLiveDataIT.OldDatabase.class)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class UpgradeWithLiveDataIT {

    private static final long ACTIVITY = 9001;
    private static final PartnerReceiver PARTNER = PartnerReceiver.startOrFail();

    /** Counts of every table at the last old version, before the start migrated it. */
    private static Map<String, Long> before;

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    DueCallbackDeliveryService delivery;

    @Autowired
    TradeTimeoutService timeouts;

    @Autowired
    LiveSwitchService switches;

    @AfterAll
    static void stopPartner() {
        PARTNER.close();
    }

    @Test
    void everyRowWrittenBeforeTheUpgradeStillWorksAfterIt() throws Exception {
        TradeClient mall = new TradeClient(port, ACTIVITY, "g" + ACTIVITY, PARTNER.url());

        // Nothing lost: every table holds what it held (a refund task V7 ended is still there, ended).
        for (Map.Entry<String, Long> table : before.entrySet()) {
            assertThat(count(table.getKey())).as(table.getKey()).isEqualTo(table.getValue());
        }
        assertThat(status("notify_task", "task_key", "90000004:trade_unpaid2refund:900000000006"))
                .isEqualTo(3);
        assertThat(switches.current().value(SwitchName.SETTLEMENT_BLACKLIST)).isEqualTo("s09:c09");

        // The forming team's unpaid member pays: the team completes and its callback goes out.
        assertThat(mall.settle("ub").path("code").asText()).isEqualTo("0000");
        assertThat(status("group_buy_order", "team_id", "90000001")).isEqualTo(1);
        await(() -> !callbacksFor("90000001").isEmpty());
        assertThat(callbacksFor("90000001")).hasSize(1);

        // The leased callback of the node that is gone (its lease ran out, no fencing token: written before V8).
        delivery.deliverAllDue();
        assertThat(callbacksFor("90000003")).hasSize(1);
        assertThat(status("notify_task", "task_key", "90000003:trade_settlement"))
                .isEqualTo(1);
        assertThat(jdbc.queryForList(
                        "SELECT a.attempt_no FROM notify_attempt a JOIN notify_task t ON t.id = a.task_id "
                                + "WHERE t.task_key = '90000003:trade_settlement' ORDER BY a.attempt_no",
                        Integer.class))
                .containsExactly(1, 2);
        // Neither the dead callback nor the refund V7 ended went out.
        assertThat(callbacksFor("90000005")).isEmpty();
        assertThat(callbacksFor("90000004")).isEmpty();

        // A paid member of an old complete team refunds.
        assertThat(mall.refund("ud").path("code").asText()).isEqualTo("0000");
        assertThat(status("group_buy_order", "team_id", "90000003")).isEqualTo(3);
        assertThat(status("group_buy_order_list", "order_id", "900000000004")).isEqualTo(2);

        // The team that expired before the upgrade closes, and its member's take is free again.
        timeouts.execTimeoutCloseJob();
        assertThat(status("group_buy_order", "team_id", "90000002")).isEqualTo(2);
        assertThat(status("group_buy_order_list", "order_id", "900000000003")).isEqualTo(2);
        assertThat(mall.lock("uc", "", "out-uc-2").path("code").asText()).isEqualTo("0000");

        // A take held before the upgrade still counts (one order a user): the paid member cannot take another.
        assertThat(mall.lock("ua", "", "out-ua-2").path("code").asText()).isEqualTo("E0103");
        // A member whose user id holds the old format's separator keeps its take too.
        assertThat(mall.lock("u_x", "", "out-u_x-2").path("code").asText()).isEqualTo("E0103");
    }

    private List<JsonNode> callbacksFor(String teamId) {
        return PARTNER.received().stream()
                .filter(body -> teamId.equals(body.path("teamId").asText()))
                .toList();
    }

    private int status(String table, String key, String value) {
        String column = switch (table) {
            case "notify_task" -> "notify_status";
            default -> "status";
        };
        return jdbc.queryForObject(
                "SELECT " + column + " FROM " + table + " WHERE " + key + " = ?", Integer.class, value);
    }

    private long count(String table) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM " + table, Long.class);
    }

    /**
     * The isolated database, built by the old versions and filled as they left it before the context starts (and its
     * Flyway migrates the rest).
     */
    static final class OldDatabase implements ApplicationContextInitializer<ConfigurableApplicationContext> {

        @Override
        public void initialize(ConfigurableApplicationContext context) {
            IsolatedDatabaseInitializer.empty().initialize(context);
            String url = context.getEnvironment().getProperty("spring.datasource.url");
            try {
                migrate(url, "1");
                writtenAtV1(url);
                migrate(url, "11");
                writtenAtV11(url);
                before = counts(url);
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }

        private static void migrate(String url, String target) {
            MigrationDatabase.flyway(url, MigrationVersion.fromVersion(target)).migrate();
        }

        private static void writtenAtV1(String url) throws SQLException {
            String now = "UTC_TIMESTAMP(3)";
            String notify = "'" + PARTNER.url() + "'";
            execute(
                    url,
                    "INSERT INTO group_buy_discount (discount_id, discount_name, market_plan, market_expr) "
                            + "VALUES ('d9001', 'twenty off', 'ZJ', '20')",
                    "INSERT INTO sku (source, channel, goods_id, goods_name, original_price) "
                            + "VALUES ('s01', 'c01', 'g9001', 'goods', 100.00)",
                    "INSERT INTO sc_sku_activity (source, channel, goods_id, activity_id) "
                            + "VALUES ('s01', 'c01', 'g9001', 9001)",
                    "INSERT INTO group_buy_activity (activity_id, activity_name, discount_id, take_limit_count, target, "
                            + "valid_time, status, start_time, end_time) VALUES (9001, 'old', 'd9001', 1, 2, 15, 1, "
                            + now + " - INTERVAL 1 DAY, " + now + " + INTERVAL 1 DAY)",
                    team("90000001", 0, 2, 1, now + " - INTERVAL 5 MINUTE", now + " + INTERVAL 10 MINUTE", notify),
                    team("90000002", 0, 1, 0, now + " - INTERVAL 30 MINUTE", now + " - INTERVAL 15 MINUTE", notify),
                    team("90000003", 1, 2, 2, now + " - INTERVAL 5 MINUTE", now + " + INTERVAL 10 MINUTE", notify),
                    team("90000004", 2, 0, 0, now + " - INTERVAL 60 MINUTE", now + " - INTERVAL 45 MINUTE", notify),
                    team("90000005", 1, 2, 2, now + " - INTERVAL 60 MINUTE", now + " - INTERVAL 45 MINUTE", notify),
                    order("900000000001", "90000001", "ua", 1, "'9001_ua_1'"),
                    order("900000000002", "90000001", "ub", 0, "'9001_ub_1'"),
                    order("900000000003", "90000002", "uc", 0, "'9001_uc_1'"),
                    order("900000000004", "90000003", "ud", 1, "'9001_ud_1'"),
                    order("900000000005", "90000003", "u_x", 1, "'9001_u_x_1'"),
                    order("900000000006", "90000004", "uf", 2, "NULL"),
                    // The gone node's lease on a retrying callback, run out a minute ago, after one failed attempt.
                    task(
                            "90000003:trade_settlement",
                            "90000003",
                            "trade_settlement",
                            2,
                            1,
                            notify,
                            "'old-node'",
                            now + " - INTERVAL 1 MINUTE"),
                    "INSERT INTO notify_attempt (task_id, attempt_no, attempt_time, http_status, latency_ms, success, "
                            + "error) SELECT id, 1, " + now + " - INTERVAL 2 MINUTE, 503, 12, 0, 'HTTP 503' "
                            + "FROM notify_task WHERE task_key = '90000003:trade_settlement'",
                    task(
                            "90000004:trade_unpaid2refund:900000000006",
                            "90000004",
                            "trade_unpaid2refund",
                            0,
                            0,
                            notify,
                            "NULL",
                            "NULL"),
                    task("90000005:trade_settlement", "90000005", "trade_settlement", 3, 9, notify, "NULL", "NULL"),
                    "INSERT INTO crowd_tags (tag_id, tag_name, statistics) VALUES ('tag1', 'old tag', 2)",
                    "INSERT INTO crowd_tags_detail (tag_id, user_id) VALUES ('tag1', 'ua'), ('tag1', 'u_x')",
                    "INSERT INTO crowd_tags_job (tag_id, batch_id, status) VALUES ('tag1', 'b1', 1)");
        }

        private static void writtenAtV11(String url) throws SQLException {
            execute(
                    url,
                    "INSERT INTO dcc_switch (name, value, updated_at) VALUES ('settlementBlacklist', 's09:c09', "
                            + "UTC_TIMESTAMP(3))",
                    "INSERT INTO dcc_switch_change (name, new_value, changed_by, changed_at) VALUES "
                            + "('settlementBlacklist', 's09:c09', 'ops', UTC_TIMESTAMP(3))",
                    "INSERT INTO mq_consumption_record (consumer, message_id, status, attempts, version) "
                            + "VALUES ('refund-places', 'old-message', 1, 1, 1)",
                    "INSERT INTO crowd_user_index (user_id) VALUES ('ua')",
                    "INSERT INTO late_payment (order_id, user_id, out_trade_no, source, channel, team_id, activity_id, "
                            + "out_trade_time) VALUES ('900000000006', 'uf', 'out-uf', 's01', 'c01', '90000004', 9001, "
                            + "UTC_TIMESTAMP(3))");
        }

        private static String team(
                String teamId, int status, int locked, int complete, String start, String end, String notifyUrl) {
            return "INSERT INTO group_buy_order (team_id, activity_id, leader_user_id, source, channel, original_price, "
                    + "deduction_price, pay_price, target_count, complete_count, lock_count, status, valid_start_time, "
                    + "valid_end_time, notify_type, notify_url) VALUES ('" + teamId + "', 9001, 'leader', 's01', "
                    + "'c01', 100.00, 20.00, 80.00, 2, " + complete + ", " + locked + ", " + status + ", " + start
                    + ", " + end + ", 'HTTP', " + notifyUrl + ")";
        }

        private static String order(String orderId, String teamId, String userId, int status, String bizId) {
            String paid = status == 1 ? "UTC_TIMESTAMP(3) - INTERVAL 1 MINUTE" : "NULL";
            return "INSERT INTO group_buy_order_list (user_id, team_id, order_id, activity_id, start_time, end_time, "
                    + "goods_id, source, channel, original_price, deduction_price, pay_price, status, out_trade_no, "
                    + "out_trade_time, biz_id, create_time) SELECT '" + userId + "', '" + teamId + "', '" + orderId
                    + "', 9001, start_time, end_time, 'g9001', 's01', 'c01', 100.00, 20.00, 80.00, " + status
                    + ", 'out-" + userId + "', " + paid + ", " + bizId + ", o.valid_start_time "
                    + "FROM group_buy_activity a JOIN group_buy_order o ON o.team_id = '" + teamId
                    + "' WHERE a.activity_id = 9001";
        }

        private static String task(
                String taskKey,
                String teamId,
                String category,
                int status,
                int attempts,
                String notifyUrl,
                String claimedBy,
                String claimUntil) {
            return "INSERT INTO notify_task (task_key, webhook_id, activity_id, team_id, source, channel, "
                    + "notify_category, notify_type, notify_url, notify_count, notify_status, parameter_json, "
                    + "next_attempt_time, claimed_by, claim_until) VALUES ('" + taskKey + "', CONCAT('msg_', MD5('"
                    + taskKey
                    + "')), 9001, '" + teamId + "', 's01', 'c01', '" + category + "', 'HTTP', " + notifyUrl + ", "
                    + attempts + ", " + status + ", '{\"teamId\":\"" + teamId
                    + "\",\"outTradeNoList\":[\"out-ud\"]}', UTC_TIMESTAMP(3) - INTERVAL 1 MINUTE, " + claimedBy
                    + ", " + claimUntil + ")";
        }

        private static Map<String, Long> counts(String url) throws SQLException {
            Map<String, Long> counts = new java.util.TreeMap<>();
            try (Connection c = DriverManager.getConnection(url, "root", "");
                    Statement s = c.createStatement()) {
                List<String> tables = new java.util.ArrayList<>();
                try (var rs = s.executeQuery("SHOW TABLES")) {
                    while (rs.next()) {
                        tables.add(rs.getString(1));
                    }
                }
                tables.remove("flyway_schema_history");
                for (String table : tables) {
                    try (var rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
                        rs.next();
                        counts.put(table, rs.getLong(1));
                    }
                }
            }
            return counts;
        }

        private static void execute(String url, String... statements) throws SQLException {
            try (Connection c = DriverManager.getConnection(url, "root", "");
                    Statement s = c.createStatement()) {
                for (String sql : statements) {
                    s.execute(sql);
                }
            }
        }
    }
}
