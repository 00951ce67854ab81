package com.groupbuy.market.notify;

import static com.groupbuy.market.support.TestJson.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.groupbuy.market.domain.outbox.service.DueCallbackDeliveryService;
import com.groupbuy.market.domain.outbox.service.NotifyTaskOperations;
import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.MallQueue;
import com.groupbuy.market.support.PartnerExchanges;
import com.groupbuy.market.support.PrivateRabbitNode;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * A broker whose {@code max_message_size} is below one of our messages (a shared broker set to 64 KiB; a big team's
 * completion callback runs to ~1 MB), on a node of this class's own ({@link PrivateRabbitNode}). The broker answers
 * such a publish by closing the channel ({@code 406 PRECONDITION_FAILED - message size N is larger than configured max
 * size M}), taking with it every other publish of the batch on that channel and the confirms still on their way. The
 * oversized callbacks FAIL at their first attempt with an error naming their size and the limit (no day of retries);
 * the other partners' callbacks of the same pages, MQ on the shared exchange and on an isolated partner's own, and
 * HTTP, are delivered at their first try, once each; the broker's breaker does not open for it. The limit learned, a
 * later big callback FAILs without closing a channel. Once the operator raised the limit, a re-drive delivers it.
 */
@IntegrationTest
@TestPropertySource(
        properties = {
            "gbm.notify.backoff=1h,1h,1h",
            "gbm.notify.jitter=0",
            // The broker's limit kept as long as the test runs, once learned.
            "gbm.mq.declare-retry=1h",
            // The production breaker (the test profile raises its minimum calls out of reach).
            "gbm.notify.guard.minimum-calls=10"
        })
class MqMessageSizeIT {

    @RegisterExtension
    static final PartnerExchanges EXCHANGES = PartnerExchanges.isolating(Map.of("s03:c03", "gbm_t_size_s03_"));

    private static final int LIMIT = 65_536;
    /** Oversized callbacks of the shared exchange's partner: a majority of the breaker's window. */
    private static final int OVERSIZED = 12;

    @RegisterExtension
    static final PrivateRabbitNode node = new PrivateRabbitNode("max_message_size = " + LIMIT);

    @DynamicPropertySource
    static void broker(DynamicPropertyRegistry registry) throws Exception {
        EXCHANGES.register(registry);
        registry.add("spring.rabbitmq.port", () -> node.rabbit().port());
    }

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    DueCallbackDeliveryService notifyService;

    @Autowired
    NotifyTaskOperations operations;

    @Test
    void aCallbackOverTheBrokersMaxMessageSizeFailsAtOnceAndHoldsBackNoOtherCallback() throws Exception {
        String run = UUID.randomUUID().toString().replace("-", "").substring(0, 5);
        List<String> oversized = new ArrayList<>();
        NotifyTaskFixture fixture = new NotifyTaskFixture(jdbc);
        try (MallQueue shared = new MallQueue(node.rabbit().port(), EXCHANGES.shared(), "topic.team_success");
                MallQueue isolated =
                        new MallQueue(node.rabbit().port(), EXCHANGES.of("s03:c03"), "topic.team_success");
                PartnerServer http = new PartnerServer((path, team) -> PartnerServer.answer(200, "success")).start()) {
            // The big teams first in the page: their publishes close the channel before the others'.
            for (int i = 0; i < OVERSIZED; i++) {
                oversized.add(task(run + "a" + i, "s02", "c02", "MQ", null, 7_000, 30));
            }
            oversized.add(task(run + "b", "s03", "c03", "MQ", null, 7_000, 30));
            List<String> ordinary = List.of(
                    task(run + "c", "s01", "c01", "MQ", null, 1, 20),
                    task(run + "d", "s03", "c03", "MQ", null, 1, 20),
                    task(run + "e", "s04", "c04", "HTTP", http.url("/cb"), 1, 20));

            for (int page = 0; page < 3; page++) {
                notifyService.deliverAllDue();
                // The other partners' callbacks still owed due again, as after their wait or backoff.
                jdbc.update(
                        "UPDATE notify_task SET next_attempt_time = ?, claim_until = NULL WHERE team_id IN (?, ?, ?)"
                                + " AND notify_status IN (0, 2)",
                        Timestamp.from(Instant.now().minusSeconds(10)),
                        ordinary.get(0),
                        ordinary.get(1),
                        ordinary.get(2));
            }

            Map<String, Map<String, Object>> rows = new TreeMap<>();
            for (String team : oversized) {
                rows.put(team, fixture.row(team));
            }
            for (String team : ordinary) {
                rows.put(team, fixture.row(team));
            }
            for (String team : ordinary) {
                assertThat(rows.get(team))
                        .as("another partner's callback, delivered at its first try: %s", rows)
                        .containsEntry("notify_status", 1)
                        .containsEntry("notify_count", 1);
            }
            for (String team : oversized) {
                Map<String, Object> row = rows.get(team);
                assertThat(row)
                        .as("the oversized callback FAILs at its first try: %s", rows)
                        .containsEntry("notify_status", 3)
                        .containsEntry("notify_count", 1);
                assertThat((String) row.get("last_error"))
                        .contains("max_message_size")
                        .contains(Integer.toString(LIMIT))
                        .contains(Integer.toString(bodyBytes(team)));
            }
            await(() -> shared.forTeam(ordinary.get(0)).size() == 1
                    && isolated.forTeam(ordinary.get(1)).size() == 1);
            assertThat(shared.received()).hasSize(1);
            assertThat(isolated.received()).hasSize(1);

            // The limit known, a later big team FAILs without being published: it closes no channel, and the callback
            // behind it on the same channel goes out in the same page.
            String later = task(run + "f", "s02", "c02", "MQ", null, 7_000, 20);
            String behind = task(run + "g", "s01", "c01", "MQ", null, 1, 10);
            notifyService.deliverAllDue();
            assertThat(fixture.row(later)).containsEntry("notify_status", 3).containsEntry("notify_count", 1);
            assertThat((String) fixture.row(later).get("last_error")).contains("as the broker answered another");
            assertThat(fixture.row(behind)).containsEntry("notify_status", 1).containsEntry("notify_count", 1);
            await(() -> shared.forTeam(behind).size() == 1);
        }

        // The operator raises the limit (a restart of the node: every connection new) and re-drives a big team's
        // callback: it goes out.
        node.rabbit().setEnv("max_message_size", "1048576");
        node.rabbit().closeAllConnections();
        String redriven = oversized.get(0);
        try (MallQueue shared = new MallQueue(node.rabbit().port(), EXCHANGES.shared(), "topic.team_success")) {
            operations.redrive(
                    jdbc.queryForObject("SELECT id FROM notify_task WHERE team_id = ?", Long.class, redriven));
            notifyService.deliverAllDue();
            assertThat(fixture.row(redriven))
                    .as("re-driven once the broker takes it")
                    .containsEntry("notify_status", 1)
                    .containsEntry("notify_count", 2);
            await(() -> shared.forTeam(redriven).size() == 1);
        }
    }

    private int bodyBytes(String teamId) {
        return jdbc.queryForObject(
                "SELECT OCTET_LENGTH(parameter_json) FROM notify_task WHERE team_id = ?", Integer.class, teamId);
    }

    /**
     * A due settlement callback of the partner for a team of {@code members} (each a trade number of 14 characters:
     * 7,000 make a body of some 110 KB), due {@code agoSeconds} ago; its team id.
     */
    private String task(
            String seed, String source, String channel, String type, String url, int members, int agoSeconds) {
        String teamId = String.format("%08x", seed.hashCode()); // team_id is VARCHAR(8)
        StringBuilder body = new StringBuilder("{\"teamId\":\"" + teamId + "\",\"outTradeNoList\":[");
        for (int i = 0; i < members; i++) {
            body.append(i == 0 ? "" : ",").append(String.format("\"%s%06d\"", teamId, i));
        }
        body.append("]}");
        jdbc.update(
                "INSERT INTO notify_task (task_key, webhook_id, activity_id, team_id, source, channel, notify_category,"
                        + " notify_type, notify_url, notify_mq, notify_count, notify_status, parameter_json,"
                        + " next_attempt_time) VALUES (?, ?, 1, ?, ?, ?, 'trade_settlement', ?, ?, ?, 0, 0, ?, ?)",
                teamId + ":trade_settlement",
                "gbm-size-" + teamId,
                teamId,
                source,
                channel,
                type,
                url,
                "MQ".equals(type) ? "topic.team_success" : null,
                body.toString(),
                Timestamp.from(Instant.now().minusSeconds(agoSeconds)));
        return teamId;
    }
}
