package com.groupbuy.market.notify;

import static com.groupbuy.market.support.TestJson.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.groupbuy.market.domain.outbox.service.DueCallbackDeliveryService;
import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.MallQueue;
import com.groupbuy.market.support.PartnerExchanges;
import com.groupbuy.market.support.PrivateRabbitNode;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * An isolated partner's own exchange our broker user may configure (so it is declared fine) but not write to, on a
 * node of this class's own ({@link PrivateRabbitNode}): the broker answers its publish by closing the channel (403
 * ACCESS_REFUSED). That partner's callbacks wait, not sent and no try used, as for a refused declare, and the guard
 * learns the refusal (the health names it); the other partners' callbacks of the same pages ({@code s01:c01},
 * {@code s02:c02} on the shared exchange) are delivered at their first attempt, once each. On main they shared the
 * refused publish's channel: every page with that partner's task failed them again (a try used each page, toward
 * FAIL), and the partner itself was charged a try per page, never marked refused.
 */
@IntegrationTest
@TestPropertySource(properties = {"gbm.notify.backoff=1h,1h,1h", "gbm.notify.jitter=0", "gbm.mq.declare-retry=1h"})
class MqPartnerExchangeWriteRefusedIT {

    @RegisterExtension
    static final PartnerExchanges EXCHANGES = PartnerExchanges.isolating(Map.of("s03:c03", "gbm_t_nowrite_s03_"));

    private static final String SHARED = EXCHANGES.shared();
    private static final String NO_WRITE = EXCHANGES.of("s03:c03");
    private static final String USER = "gbm_app";
    private static final String PASSWORD = UUID.randomUUID().toString();

    @RegisterExtension
    static final PrivateRabbitNode node = new PrivateRabbitNode("");

    @DynamicPropertySource
    static void broker(DynamicPropertyRegistry registry) throws Exception {
        node.rabbit().addUser(USER, PASSWORD);
        // Configure and read on everything; write on the shared and internal exchanges only, not on the partner's.
        node.rabbit().permissions(USER, ".*", "^(gbm_t_shared_.*|gbm_t_internal_.*)$", ".*");
        EXCHANGES.register(registry);
        registry.add("spring.rabbitmq.port", () -> node.rabbit().port());
        registry.add("spring.rabbitmq.username", () -> USER);
        registry.add("spring.rabbitmq.password", () -> PASSWORD);
    }

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    DueCallbackDeliveryService notifyService;

    @Autowired
    @Qualifier("mqChannel")
    HealthIndicator mqChannel;

    @Test
    void aPartnerExchangeRefusingWritesHoldsOnlyThatPartnersCallbacks() throws Exception {
        try (MallQueue shared = new MallQueue(node.rabbit().port(), SHARED, "topic.team_success")) {
            String run = UUID.randomUUID().toString().replace("-", "").substring(0, 8);
            // The refused partner's task first in every page: its publish closes the channel before the others'.
            String refusedTeam = task(run, "w", "s03", "c03", 20);
            String firstTeam = task(run, "x", "s01", "c01", 10);
            String secondTeam = task(run, "y", "s02", "c02", 10);
            List<String> teams = List.of(refusedTeam, firstTeam, secondTeam);
            for (int page = 0; page < 3; page++) {
                notifyService.deliverAllDue();
                // Every task still owed due again, the refused partner's first, as after a backoff.
                jdbc.update(
                        "UPDATE notify_task SET next_attempt_time = ?, claim_until = NULL WHERE team_id = ?"
                                + " AND notify_status IN (0, 2)",
                        Timestamp.from(Instant.now().minusSeconds(20)),
                        refusedTeam);
                jdbc.update(
                        "UPDATE notify_task SET next_attempt_time = ?, claim_until = NULL WHERE team_id IN (?, ?)"
                                + " AND notify_status IN (0, 2)",
                        Timestamp.from(Instant.now().minusSeconds(10)),
                        firstTeam,
                        secondTeam);
            }
            Map<String, Map<String, Object>> rows = new java.util.TreeMap<>();
            for (String team : teams) {
                rows.put(team, new NotifyTaskFixture(jdbc).row(team));
            }
            for (String team : List.of(firstTeam, secondTeam)) {
                assertThat(rows.get(team))
                        .as("another partner's callback, delivered at its first try: %s", rows)
                        .containsEntry("notify_status", 1)
                        .containsEntry("notify_count", 1);
            }
            await(() -> shared.forTeam(firstTeam).size() == 1
                    && shared.forTeam(secondTeam).size() == 1);
            Map<String, Object> refused = rows.get(refusedTeam);
            assertThat(refused)
                    .as("the refused partner's callback owed, no try used: %s", rows)
                    .containsEntry("notify_status", 2)
                    .containsEntry("notify_count", 0);
            assertThat((String) refused.get("last_error"))
                    .contains("not sent")
                    .contains(NO_WRITE)
                    .contains("ACCESS_REFUSED");
            assertThat(shared.forTeam(refusedTeam)).isEmpty();
            @SuppressWarnings("unchecked")
            Map<String, String> refusedExchanges =
                    (Map<String, String>) mqChannel.health().getDetails().get("refusedPartnerExchanges");
            assertThat(refusedExchanges).containsOnlyKeys(NO_WRITE);
        }
    }

    /** A due MQ settlement task of the partner, due {@code agoSeconds} ago; its team id. */
    private String task(String run, String prefix, String source, String channel, int agoSeconds) {
        String teamId = prefix + run.substring(0, 7); // team_id is VARCHAR(8)
        jdbc.update(
                "INSERT INTO notify_task (task_key, webhook_id, activity_id, team_id, source, channel, notify_category,"
                        + " notify_type, notify_mq, notify_count, notify_status, parameter_json, next_attempt_time)"
                        + " VALUES (?, ?, 1, ?, ?, ?, 'trade_settlement', 'MQ', 'topic.team_success', 0, 0, ?, ?)",
                teamId + ":trade_settlement",
                "gbm-write-" + teamId,
                teamId,
                source,
                channel,
                "{\"teamId\":\"" + teamId + "\",\"outTradeNoList\":[\"o-" + teamId + "\"]}",
                Timestamp.from(Instant.now().minusSeconds(agoSeconds)));
        return teamId;
    }
}
