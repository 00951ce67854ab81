package com.groupbuy.market.support;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * A test class's own close-check queues on the shared broker (#15): names no other class or run uses, wired into the
 * app with the MQ channel and the close-check path on. Registered into the class's context ({@link #register}), they
 * are deleted, with every delay lane the app declared, once that context closed ({@link ContextBrokerObjects}).
 * {@link #delete} is for queues only a {@link SecondInstance} or an {@link AppProcess} used, once it stopped (the test
 * may look at them after): called in an {@code @AfterAll}, before Spring closes the class's context, it cannot take
 * the context's own, which the running app declares again.
 */
public record CloseCheckQueues(String suffix, String queue, String deadLetter, String lanePrefix) {

    /** Queues named {@code stem} + a random suffix, with the app's dead-letter and lane naming. */
    public static CloseCheckQueues named(String stem) {
        String suffix = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        String queue = stem + suffix;
        return new CloseCheckQueues(suffix, queue, queue + ".dead", queue + ".delay.");
    }

    /** The delay lane for one timeout length, as the app names it (e.g. {@code "960s"}). */
    public String lane(String length) {
        return lanePrefix + length;
    }

    /** For a {@code @DynamicPropertySource}: MQ and close checks on, on these queues. */
    public void register(DynamicPropertyRegistry registry) {
        registry.add("gbm.mq.enabled", () -> "true");
        registry.add("gbm.close-check.enabled", () -> "true");
        registry.add("gbm.close-check.queue", this::queue);
        registry.add("gbm.close-check.dead-letter-queue", this::deadLetter);
        registry.add("gbm.close-check.lane-prefix", this::lanePrefix);
    }

    /** For a {@link SecondInstance}: MQ and close checks on, on these queues, and {@code more} settings. */
    public String[] settings(String... more) {
        List<String> settings = new ArrayList<>(List.of(
                "gbm.mq.enabled=true",
                "gbm.close-check.enabled=true",
                "gbm.close-check.queue=" + queue,
                "gbm.close-check.dead-letter-queue=" + deadLetter,
                "gbm.close-check.lane-prefix=" + lanePrefix));
        settings.addAll(Arrays.asList(more));
        return settings.toArray(String[]::new);
    }

    /** Deletes the close-check queue, its dead-letter queue and {@code others} (the lanes the class used) from the broker. */
    public void delete(String... others) {
        List<String> queues = new ArrayList<>(List.of(queue, deadLetter));
        queues.addAll(Arrays.asList(others));
        CachingConnectionFactory factory = new CachingConnectionFactory("127.0.0.1", 5672);
        try {
            RabbitAdmin admin = new RabbitAdmin(factory);
            queues.forEach(admin::deleteQueue);
        } finally {
            factory.destroy();
        }
    }
}
