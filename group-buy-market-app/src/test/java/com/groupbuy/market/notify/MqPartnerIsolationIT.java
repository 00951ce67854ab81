package com.groupbuy.market.notify;

import static com.groupbuy.market.support.TestJson.await;
import static com.groupbuy.market.support.TestJson.fields;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.groupbuy.market.domain.outbox.service.DueCallbackDeliveryService;
import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.MallQueue;
import com.groupbuy.market.support.MallQueues;
import com.groupbuy.market.support.PartnerExchanges;
import com.groupbuy.market.support.TestJson;
import com.groupbuy.market.types.security.WebhookSignature;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * What one MQ partner gets of another's orders on the MQ channel (real RabbitMQ, MariaDB, Redis). Partners:
 * <ul>
 *   <li>{@code s03:c03} — isolated by the operator ({@code gbm.mq.partner-exchanges.[s03].[c03]}), no signing secret;
 *   <li>{@code s02:c02} — the attacker: an MQ partner on the shared exchange, no signing secret;
 *   <li>{@code s01:c01} — a mall of the original platform on the shared exchange (secret {@code test_secret}).
 * </ul>
 * On the shared exchange every mall bound to {@code topic.team_success} / {@code topic.team_refund} (or {@code #})
 * receives every partner's team ids, user ids, order ids and trade numbers, and every partner can make us publish a
 * message naming any trade number there (it chooses its own {@code outTradeNo}s): without the isolation, s03's orders
 * went to s02's queues and s02's messages naming s03's trade numbers to s03's. An isolated partner's messages go to
 * its own exchange only, with the same keys and bodies. The class stands in its own shared and internal exchanges
 * (random names), deleted after it.
 */
@IntegrationTest
@TestPropertySource(properties = {"gbm.notify.backoff=1h,1h", "gbm.notify.jitter=0"})
class MqPartnerIsolationIT {

    @RegisterExtension
    static final PartnerExchanges EXCHANGES = PartnerExchanges.isolating(Map.of("s03:c03", "gbm_t_mall_s03_"));

    private static final String SHARED = EXCHANGES.shared();
    private static final String ISOLATED = EXCHANGES.of("s03:c03");
    private static final AtomicInteger ACTIVITY = new AtomicInteger(17000);

    @DynamicPropertySource
    static void broker(DynamicPropertyRegistry registry) {
        EXCHANGES.register(registry);
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    DueCallbackDeliveryService notifyService;

    @RegisterExtension
    final MallQueues malls = new MallQueues();

    /**
     * Partner s02 binds the shared exchange every way a mall can ({@code #} and the two exact keys): it learns nothing
     * of the isolated partner's team, buyers or trade numbers, while the isolated partner's queues, bound to its own
     * exchange with exactly the original keys, receive its completion and its refund with the contract's bodies.
     */
    @Test
    void anIsolatedPartnersCompletionAndRefundReachOnlyItsOwnExchange() throws Exception {
        MallQueue otherEverything = malls.bind(SHARED, "#");
        MallQueue otherSuccess = malls.bind(SHARED, "topic.team_success");
        MallQueue otherRefund = malls.bind(SHARED, "topic.team_refund");
        MallQueue ownSuccess = malls.bind(ISOLATED, "topic.team_success");
        MallQueue ownRefund = malls.bind(ISOLATED, "topic.team_refund");
        String run = run();
        MqPartner isolated = partner("s03", "c03");
        List<String> outs = List.of("a1-" + run, "a2-" + run, "a3-" + run);

        String teamId = isolated.paidTeam(List.of("u1", "u2", "u3"), outs, MqPartner.MQ_DEFAULT);
        assertThat(isolated.refund("u2", outs.get(1)).path("code").asText()).isEqualTo("0000");
        notifyService.deliverAllDue();

        await(() -> delivered(teamId) == 2);
        Thread.sleep(500); // a leaked copy would have arrived by now
        for (MallQueue other : List.of(otherEverything, otherSuccess, otherRefund)) {
            assertThat(mentioning(other, run))
                    .as("what partner s02 learns of s03's orders")
                    .isEmpty();
        }
        await(() -> ownSuccess.forTeam(teamId).size() == 1
                && ownRefund.forTeam(teamId).size() == 1);
        MallQueue.Received success = ownSuccess.forTeam(teamId).get(0);
        assertThat(success.routingKey()).isEqualTo("topic.team_success");
        assertThat(success.body())
                .isEqualTo(
                        "{\"teamId\":\"" + teamId + "\",\"outTradeNoList\":[\"" + String.join("\",\"", outs) + "\"]}");
        assertThat(success.properties().getMessageId()).isEqualTo(success.header("webhook-id"));
        MallQueue.Received refund = ownRefund.forTeam(teamId).get(0);
        assertThat(refund.routingKey()).isEqualTo("topic.team_refund");
        JsonNode refundBody = TestJson.JSON.readTree(refund.body());
        assertThat(fields(refundBody))
                .containsExactly("type", "userId", "teamId", "activityId", "orderId", "outTradeNo");
        assertThat(refundBody.path("type").asText()).isEqualTo("paid_formed");
        assertThat(refundBody.path("outTradeNo").asText()).isEqualTo(outs.get(1));
        assertThat(ownSuccess.forTeam(teamId)).hasSize(1);
        assertThat(ownRefund.forTeam(teamId)).hasSize(1);
    }

    /** The team's partner messages (completion, refunds; not our refund event) delivered: confirmed, not returned. */
    private int delivered(String teamId) {
        return jdbc.queryForObject(
                "SELECT COUNT(*) FROM notify_task WHERE team_id = ? AND notify_type = 'MQ' "
                        + "AND task_key NOT LIKE '%:mq' AND notify_status = 1",
                Integer.class, teamId);
    }

    /**
     * Partner s02 knows the isolated partner's trade numbers and user ids and uses them as its own (its lock makes
     * orders of its own: another partner's order under the same user and number is not one it can touch): its
     * completion and its refund name s03's trade numbers, unsigned as s03's own are. They reach s02's keys on the
     * shared exchange, never the queue s03 binds, which still receives s03's own completion.
     */
    @Test
    void anotherPartnerCannotMakeUsPublishTheIsolatedPartnersTradeNumbersWhereItListens() throws Exception {
        MallQueue ownEverything = malls.bind(ISOLATED, "#");
        MallQueue otherEverything = malls.bind(SHARED, "#");
        String run = run();
        List<String> users = List.of("v1", "v2", "v3");
        List<String> outs = List.of("b1-" + run, "b2-" + run, "b3-" + run);
        String ownTeam = partner("s03", "c03").paidTeam(users, outs, MqPartner.MQ_DEFAULT);
        MqPartner attacker = partner("s02", "c02");

        String forgedTeam = attacker.paidTeam(users, outs, MqPartner.MQ_DEFAULT);
        assertThat(attacker.refund("v3", outs.get(2)).path("code").asText()).isEqualTo("0000");
        notifyService.deliverAllDue();

        await(() -> ownEverything.forTeam(ownTeam).size() == 1);
        await(() -> otherEverything.forTeam(forgedTeam).size() == 2);
        MallQueue.Received forged = otherEverything.forTeam(forgedTeam).stream()
                .filter(r -> r.routingKey().equals("topic.team_success"))
                .findFirst()
                .orElseThrow();
        assertThat(forged.body()).contains(outs.get(0)).contains(outs.get(1)).contains(outs.get(2));
        assertThat(forged.header("webhook-signature")).as("s02 has no secret").isNull();
        Thread.sleep(500);
        assertThat(ownEverything.forTeam(forgedTeam))
                .as("s02's messages on s03's exchange")
                .isEmpty();
        assertThat(mentioning(ownEverything, run)).hasSize(1);
        assertThat(mentioning(otherEverything, run))
                .as("only s02's own team on the shared exchange")
                .allMatch(r -> r.body().contains("\"teamId\":\"" + forgedTeam + "\""));
    }

    /**
     * What stays true on the shared exchange, by design of the original platform's contract (not fixable without
     * breaking its malls, which bind these keys and decode strictly): a mall bound to {@code topic.team_success}
     * receives every non-isolated partner's completions, including one naming its own trade numbers made by another
     * partner. Only the signature tells them apart: the original mall's own message is signed with its secret, the
     * other partner's is unsigned (or signed with the other's secret) — so a partner must verify
     * {@code webhook-signature}, or be isolated.
     */
    @Test
    void onTheSharedExchangeOnlyTheSignatureTellsAPartnersOwnCompletionFromAnothers() throws Exception {
        MallQueue original = malls.bind(SHARED, "topic.team_success");
        String run = run();
        List<String> users = List.of("w1", "w2", "w3");
        List<String> outs = List.of("c1-" + run, "c2-" + run, "c3-" + run);
        String ownTeam = partner("s01", "c01").paidTeam(users, outs, MqPartner.MQ_DEFAULT);
        String forgedTeam = partner("s02", "c02").paidTeam(users, outs, MqPartner.MQ_DEFAULT);
        notifyService.deliverAllDue();

        await(() -> original.forTeam(ownTeam).size() == 1
                && original.forTeam(forgedTeam).size() == 1);
        MallQueue.Received own = original.forTeam(ownTeam).get(0);
        MallQueue.Received forged = original.forTeam(forgedTeam).get(0);
        assertThat(TestJson.JSON.readTree(forged.body()).path("outTradeNoList"))
                .isEqualTo(TestJson.JSON.readTree(own.body()).path("outTradeNoList"));
        assertThat(verifies(own, "test_secret")).isTrue();
        assertThat(forged.header("webhook-signature")).isNull();
    }

    /**
     * A lock's {@code notifyMQ} is recorded on the team as given and chooses nothing: not the routing key (ours, by
     * category), not the exchange (by the task's partner). Values naming our refund event's key, a wildcard, another
     * partner's exchange or a key with an injected segment all publish on {@code topic.team_success} of the shared
     * exchange; nothing reaches our internal exchange or the isolated partner's. A trade number shaped to break out
     * of the JSON body stays one string of the list.
     */
    @Test
    void aLocksNotifyMqAndTradeNumbersChooseNoRouteAndInjectNothing() throws Exception {
        MallQueue ownEverything = malls.bind(ISOLATED, "#");
        MallQueue shared = malls.bind(SHARED, "#");
        String run = run();
        List<String> outs = List.of("d1\",\"" + run, "d2\"]}" + run, "d3-" + run);
        List<String> notifyMqs = List.of("gbm.refund_event", "#", ISOLATED, "topic.team_success.s03");
        List<String> teams = new ArrayList<>();
        for (String notifyMq : notifyMqs) {
            String config = "{\"notifyType\":\"MQ\",\"notifyUrl\":null,\"notifyMQ\":\"" + notifyMq + "\"}";
            String user = "x" + teams.size();
            List<String> numbered = outs.stream().map(o -> o + teams.size()).toList();
            teams.add(partner("s02", "c02").paidTeam(List.of(user + "a", user + "b", user + "c"), numbered, config));
        }
        notifyService.deliverAllDue();

        for (int i = 0; i < teams.size(); i++) {
            String teamId = teams.get(i);
            await(() -> shared.forTeam(teamId).size() == 1);
            assertThat(jdbc.queryForObject(
                            "SELECT notify_mq FROM group_buy_order WHERE team_id = ?", String.class, teamId))
                    .as("recorded as given")
                    .isEqualTo(notifyMqs.get(i));
            assertThat(jdbc.queryForObject(
                            "SELECT notify_mq FROM notify_task WHERE team_id = ? AND notify_category = "
                                    + "'trade_settlement'",
                            String.class,
                            teamId))
                    .isEqualTo("topic.team_success");
            MallQueue.Received message = shared.forTeam(teamId).get(0);
            assertThat(message.routingKey()).isEqualTo("topic.team_success");
            JsonNode body = TestJson.JSON.readTree(message.body());
            assertThat(fields(body)).containsExactly("teamId", "outTradeNoList");
            int n = i;
            List<String> listed = new ArrayList<>();
            body.path("outTradeNoList").forEach(v -> listed.add(v.asText()));
            assertThat(listed)
                    .containsExactlyElementsOf(outs.stream().map(o -> o + n).toList());
            // Our AMQP client adds two headers of its own (spring_returned_message_correlation: the attempt's
            // correlation, our webhook id and a random part; spring_listener_return_correlation: the publisher's id),
            // used to match a returned message to its publish; nothing of the lock reaches any header.
            assertThat(message.properties().getHeaders().keySet().stream().filter(name -> !name.startsWith("spring_")))
                    .containsExactlyInAnyOrder("webhook-id", "webhook-timestamp");
            assertThat(message.properties().getHeaders().values())
                    .allSatisfy(value -> assertThat(String.valueOf(value))
                            .doesNotContain(run)
                            .doesNotContain(notifyMqs.get(n)));
            assertThat(message.header("spring_returned_message_correlation"))
                    .startsWith(message.header("webhook-id") + "/");
            assertThat(message.header("webhook-id")).matches("msg_[0-9a-f]{32}");
        }
        Thread.sleep(500);
        assertThat(mentioning(ownEverything, run)).isEmpty();
        for (String teamId : teams) {
            assertThat(jdbc.queryForList("SELECT notify_mq FROM notify_task WHERE team_id = ?", String.class, teamId))
                    .as("the completion only: no refund event, nothing was refunded")
                    .containsExactly("topic.team_success");
        }
    }

    private static boolean verifies(MallQueue.Received message, String secret) {
        String id = message.header("webhook-id");
        long timestamp = Long.parseLong(message.header("webhook-timestamp"));
        return WebhookSignature.sign(secret, id, timestamp, message.body()).equals(message.header("webhook-signature"));
    }

    private static List<MallQueue.Received> mentioning(MallQueue mall, String run) {
        return mall.received().stream().filter(r -> r.body().contains(run)).toList();
    }

    private static String run() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    }

    /** A partner selling goods of a fresh activity of its own (teams of 3, one order a user). */
    private MqPartner partner(String source, String channel) {
        return MqPartner.onNewGoods(port, jdbc, source, channel, ACTIVITY.incrementAndGet());
    }
}
