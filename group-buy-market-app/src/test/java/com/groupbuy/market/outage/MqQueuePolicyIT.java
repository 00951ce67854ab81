package com.groupbuy.market.outage;

import static org.assertj.core.api.Assertions.assertThat;

import com.groupbuy.market.support.AlarmedBroker;
import com.groupbuy.market.support.CloseCheckQueues;
import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.NoBrokerLeftovers;
import com.groupbuy.market.support.PartnerReceiver;
import com.groupbuy.market.support.TradeClient;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * An operator's RabbitMQ policy on our own queues, which nothing over AMQP shows us: staged on a node of the broker
 * tests' own ({@link AlarmedBroker}), one policy after another, each cleared before the next.
 * <p>
 * {@code expires} on a dead-letter queue (a policy for ".*" with {@code expires} is a common guard against abandoned
 * queues): nothing consumes a dead-letter queue, so it is "unused" and the broker deletes it — with its dead letters —
 * every period. Before, the queue came back only with the next connection (a restart): meanwhile every message due
 * for it came back unroutable and was handed back every retry delay, forever, its record never dead. Now the copy that
 * comes back unroutable declares the queue again and lands (the record turns dead only on the broker's confirm of a
 * routed copy). The copy itself goes with the queue at its next expiry — nothing of ours can keep it: the operator
 * must exclude our {@code .dead} queues (docs/operations.md, "RabbitMQ policies on our queues"). Both as a user policy
 * and as an operator policy (the lesser {@code expires} applies whatever a queue argument says: declaring ours with an
 * argument could not have helped).
 */
@ExtendWith(NoBrokerLeftovers.class)
@IntegrationTest
@Import(PoisonedRefundQueue.class)
@TestPropertySource(
        properties = {
            // Longer than the early wait (1 s) plus the policy's TTL (1 s) by several hops: a check cut short hops
            // (is published again) at 1, 2, 3 and 4 s, and waits in place only the last second. The default early
            // wait (5 s) needed 12 s for as many hops: two orders' 12 s, one after the other, were most of this class.
            "gbm.timeout.unpaid-timeout=6s",
            "gbm.close-check.early-wait=1s",
            "gbm.timeout.expiry-grace=60s",
            "gbm.close-check.retry-delay=50ms"
        })
class MqQueuePolicyIT {

    private static final CloseCheckQueues CLOSE_CHECKS = CloseCheckQueues.named("gbm_t_policy_close_");

    private static final String EXCHANGE = "gbm_t_policy_exchange";
    private static final String QUEUE = "gbm_t_policy_refund";
    private static final String DEAD_QUEUE_PATTERN = "^gbm_t_policy_refund\\.dead$";

    @RegisterExtension
    static final AlarmedBroker broker = new AlarmedBroker();

    @DynamicPropertySource
    static void broker(DynamicPropertyRegistry registry) throws Exception {
        broker.start(registry);
        PoisonedRefundQueue.register(registry, EXCHANGE, QUEUE);
        CLOSE_CHECKS.register(registry);
    }

    @Autowired
    PoisonedRefundQueue queue;

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    MeterRegistry meters;

    /**
     * Waits up to 20 s for the dead-letter queue to be gone. Looked at every 3 s, longer than the policy's 2 s: the
     * look is a passive declare, which the broker counts as a use, so a look every 50 ms kept the queue for good.
     */
    private void awaitExpired() throws InterruptedException {
        long deadline = System.currentTimeMillis() + 20_000;
        do {
            Thread.sleep(3_000);
            if (!queue.deadLetterQueueExists()) {
                return;
            }
        } while (System.currentTimeMillis() < deadline);
        throw new AssertionError("the dead-letter queue did not expire within 20 s");
    }

    @Test
    void aDeadLetterQueueAPolicyExpiredIsDeclaredAgainByTheNextCopy() throws Exception {
        for (boolean operator : new boolean[] {false, true}) {
            String policy = operator ? "gbm_t_operator_expires" : "gbm_t_user_expires";
            String poison = queue.fill();
            broker.policy(operator, policy, DEAD_QUEUE_PATTERN, "{\"expires\":2000}");
            try {
                awaitExpired();
                queue.startConsumer();
                queue.awaitRecordedDead(poison);
            } finally {
                broker.clearPolicy(policy);
            }
        }
    }

    /**
     * {@code message-ttl} on the delay lanes: the lesser of the policy's TTL and a check's own expiration applies (user
     * or operator policy), so each check leaves its lane early. The consumer finds it not due and publishes it again
     * toward its due time, hop after hop (each cut short again), and closes the order when it is due — by the delay
     * path: the timeout job, the backstop, does not run in tests, and nothing is counted found late.
     */
    @Test
    void checksCutShortByALaneTtlPolicyStillCloseTheirOrdersOnTime() throws Exception {
        String lanes = "^" + CLOSE_CHECKS.lanePrefix().replace(".", "\\.");
        try (PartnerReceiver partner = new PartnerReceiver()) {
            TradeClient mall = TradeClient.onNewGoods(port, jdbc, 9610, partner.url());
            for (boolean operator : new boolean[] {false, true}) {
                String policy = operator ? "gbm_t_operator_lane_ttl" : "gbm_t_user_lane_ttl";
                String user = operator ? "ttl_op" : "ttl_user";
                broker.policy(operator, policy, lanes, "{\"message-ttl\":1000}");
                try {
                    long locked = System.currentTimeMillis();
                    mall.team(user);
                    long deadline = locked + 30_000;
                    while (orderStatus(user) != 2 && System.currentTimeMillis() < deadline) {
                        Thread.sleep(100);
                    }
                    assertThat(orderStatus(user)).as("closed by the delay path").isEqualTo(2);
                    assertThat(System.currentTimeMillis() - locked)
                            .as("not before its 6 s unpaid timeout")
                            .isGreaterThanOrEqualTo(6_000);
                } finally {
                    broker.clearPolicy(policy);
                }
            }
        }
        assertThat(meters.find("gbm.timeout.found.late").counters())
                .allSatisfy(counter -> assertThat(counter.count()).isZero());
    }

    private int orderStatus(String userId) {
        return jdbc.queryForObject("SELECT status FROM group_buy_order_list WHERE user_id = ?", Integer.class, userId);
    }
}
