package com.groupbuy.market.outage;

import com.groupbuy.market.support.AlarmedBroker;
import com.groupbuy.market.support.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

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
@IntegrationTest
@Import(PoisonedRefundQueue.class)
class MqQueuePolicyIT {

    private static final String EXCHANGE = "gbm_t_policy_exchange";
    private static final String QUEUE = "gbm_t_policy_refund";
    private static final String DEAD_QUEUE_PATTERN = "^gbm_t_policy_refund\\.dead$";

    @RegisterExtension
    static final AlarmedBroker broker = new AlarmedBroker();

    @DynamicPropertySource
    static void broker(DynamicPropertyRegistry registry) throws Exception {
        broker.start(registry);
        PoisonedRefundQueue.register(registry, EXCHANGE, QUEUE);
    }

    @Autowired
    PoisonedRefundQueue queue;

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
}
