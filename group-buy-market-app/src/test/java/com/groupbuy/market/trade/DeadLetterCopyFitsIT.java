package com.groupbuy.market.trade;

import static com.groupbuy.market.support.TestJson.JSON;
import static org.assertj.core.api.Assertions.assertThat;

import com.groupbuy.market.support.CloseCheckQueues;
import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.MallQueues;
import com.groupbuy.market.support.NoBrokerLeftovers;
import com.groupbuy.market.support.RawAmqpPublisher;
import com.groupbuy.market.trigger.listener.RecordedMessageListener;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * A poison message whose dead-letter copy the client cannot write: a close-check bundle naming a check id of 300
 * characters. Such an id is dead at once (no consumption record holds it), and the copy carried it as its message
 * id, an AMQP short string of at most 255 bytes: the client refused the publish while writing it, after counting it
 * for publisher confirms. On main the copy therefore never landed, the bundle was handed back and delivered again,
 * over and over, and every attempt left a channel of the publisher connection waiting for a confirm that never comes
 * — at 2047 the connection can open none, and no partner callback, close check or copy can be published until a
 * restart. Now the copy keeps the id in a header of its own, lands once, and the bundle is acknowledged. The same holds
 * for the refund consumer and a message whose id, content type and header name are bytes that are not UTF-8.
 * <p>
 * Needs {@code rabbitmqctl} able to reach the broker (as {@code MqPartnerUserIT}): it counts the publisher
 * connection's channels.
 */
@ExtendWith(NoBrokerLeftovers.class)
@IntegrationTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestPropertySource(properties = {"gbm.close-check.retry-delay=20ms", "gbm.notify.backoff=1h,1h"})
class DeadLetterCopyFitsIT {

    private static final CloseCheckQueues QUEUES = CloseCheckQueues.named("gbm_t_copyfit_");
    private static final String QUEUE = QUEUES.queue();
    private static final String DEAD = QUEUES.deadLetter();

    private static final String INTERNAL = "gbm_t_copyfit_internal_" + QUEUES.suffix();
    private static final String REFUNDS = "gbm_t_copyfit_refund_" + QUEUES.suffix();
    private static final String REFUNDS_DEAD = REFUNDS + ".dead";

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        QUEUES.register(registry);
        registry.add("gbm.mq.refund-consumer.enabled", () -> "true");
        registry.add("gbm.mq.internal-exchange", () -> INTERNAL);
        registry.add("gbm.mq.refund-consumer.queue", () -> REFUNDS);
        registry.add("gbm.mq.refund-consumer.dead-letter-queue", () -> REFUNDS_DEAD);
        registry.add("gbm.mq.refund-consumer.retry-delay", () -> "20ms");
    }

    /** The test's own connection: the app's template publishes on the app's publisher connection, counted here. */
    private static final CachingConnectionFactory OWN = new CachingConnectionFactory("127.0.0.1", 5672);

    private static final RabbitTemplate RABBIT = new RabbitTemplate(OWN);

    /**
     * Stops the app's consumers first: the close-check queue deleted under its consumer is declared again at once
     * (CloseCheckConfig), which would leave it on the shared broker.
     */
    @AfterAll
    void dropBrokerObjects() {
        closeCheckListenerContainer.stop();
        refundPlaceListenerContainer.stop();
        OWN.destroy();
        QUEUES.delete(REFUNDS, REFUNDS_DEAD);
        MallQueues.onBroker(admin -> admin.deleteExchange(INTERNAL));
    }

    @Autowired
    CachingConnectionFactory connectionFactory;

    @Autowired
    MeterRegistry meters;

    @Autowired
    SimpleMessageListenerContainer closeCheckListenerContainer;

    @Autowired
    SimpleMessageListenerContainer refundPlaceListenerContainer;

    @Test
    void aCheckIdNoShortStringHoldsIsDeadLetteredOnceWithItsIdInAHeaderAndLeaksNoChannel() throws Exception {
        // A first poison check with an ordinary id: its copy opens the publisher connection's channel, so the count
        // below starts from a connection in use.
        publishBundle("short-" + QUEUES.suffix());
        Message first = awaitDeadLetter();
        assertThat(first.getMessageProperties().getMessageId()).isEqualTo("short-" + QUEUES.suffix());
        int channelsBefore = publisherChannels();
        double deadBefore = dead();

        String longId = "k".repeat(300) + QUEUES.suffix();
        publishBundle(longId);
        Message copy = awaitDeadLetter();

        assertThat(copy.getMessageProperties().<String>getHeader(RecordedMessageListener.MESSAGE_ID_HEADER))
                .isEqualTo(longId);
        assertThat(copy.getMessageProperties().getMessageId()).isNull();
        assertThat(copy.getMessageProperties().<String>getHeader(RecordedMessageListener.DEAD_REASON_HEADER))
                .contains("message id longer than 64 characters");
        assertThat(JSON.readTree(copy.getBody())).isEqualTo(JSON.readTree("{\"check\":\"nope\"}"));
        // Decided dead once: the copy landed on the first delivery, and the bundle was acknowledged with it.
        assertThat(dead()).isEqualTo(deadBefore + 1);
        awaitEmpty(QUEUE);
        assertThat(publisherChannels()).isLessThanOrEqualTo(channelsBefore);
    }

    /**
     * A message on the refund consumer's queue from a client that sends bytes that are not UTF-8: 100 bytes 0xFF as
     * its id, 90 bytes 0xFE as its content type, a header named with 90 bytes 0xFF. The client reads each such byte as
     * U+FFFD, three bytes when written again: none of them fits a short string any more. On main its copy could never
     * be written and it came back every retry delay, forever. Now it is dead-lettered once, with what did not fit in
     * headers of ours, and acknowledged.
     */
    @Test
    void aMessageWithNamesInBytesThatAreNotUtf8IsDeadLetteredOnceWithWhatDidNotFitInHeaders() throws Exception {
        double deadBefore = refundsDead();
        RawAmqpPublisher.publish(
                REFUNDS,
                filled(100, 0xFF),
                filled(90, 0xFE),
                filled(90, 0xFF),
                "not json".getBytes(StandardCharsets.UTF_8));

        Message copy = awaitDeadLetter(REFUNDS_DEAD);

        assertThat(copy.getMessageProperties().<String>getHeader(RecordedMessageListener.MESSAGE_ID_HEADER))
                .isEqualTo("\uFFFD".repeat(100));
        assertThat(copy.getMessageProperties().<String>getHeader(RecordedMessageListener.CONTENT_TYPE_HEADER))
                .isEqualTo("\uFFFD".repeat(90));
        assertThat(copy.getMessageProperties().<List<Object>>getHeader(RecordedMessageListener.DROPPED_HEADERS_HEADER))
                .containsExactly("\uFFFD".repeat(90));
        assertThat(copy.getMessageProperties().<String>getHeader(RecordedMessageListener.DEAD_REASON_HEADER))
                .contains("message id longer than 64 characters");
        assertThat(new String(copy.getBody(), StandardCharsets.UTF_8)).isEqualTo("not json");
        assertThat(refundsDead()).isEqualTo(deadBefore + 1);
        awaitEmpty(REFUNDS);
    }

    private static byte[] filled(int length, int value) {
        byte[] bytes = new byte[length];
        Arrays.fill(bytes, (byte) value);
        return bytes;
    }

    private double refundsDead() {
        return meters.get("gbm.mq.refund.consumed")
                .tag("outcome", "dead")
                .counter()
                .count();
    }

    private void publishBundle(String checkId) {
        String body = "{\"checks\":[{\"id\":\"" + checkId + "\",\"body\":{\"check\":\"nope\"}}]}";
        RABBIT.send(
                "",
                QUEUE,
                MessageBuilder.withBody(body.getBytes(StandardCharsets.UTF_8))
                        .setContentType("application/json")
                        .setMessageId("bundle-" + checkId.length())
                        .build());
    }

    /** The next copy on the dead-letter queue; on failure, how many channels the publisher connection holds. */
    private Message awaitDeadLetter() throws Exception {
        return awaitDeadLetter(DEAD);
    }

    private Message awaitDeadLetter(String queue) throws Exception {
        long deadline = System.currentTimeMillis() + 15_000;
        while (System.currentTimeMillis() < deadline) {
            Message message = RABBIT.receive(queue);
            if (message != null) {
                return message;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no dead-letter copy on " + queue + " within 15 s; close checks decided dead: "
                + dead() + ", refunds: " + refundsDead()
                + ", channels of the publisher connection: " + publisherChannels());
    }

    private void awaitEmpty(String queue) throws Exception {
        long deadline = System.currentTimeMillis() + 15_000;
        while (!"0 0".equals(queueCounts(queue))) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError(queue + " still holds (ready, unacknowledged) " + queueCounts(queue));
            }
            Thread.sleep(50);
        }
    }

    private double dead() {
        return meters.get("gbm.close.check.consumed")
                .tag("outcome", "dead")
                .counter()
                .count();
    }

    /** Channels the broker counts on the app's publisher connection (the one its copies and callbacks go out on). */
    private int publisherChannels() throws Exception {
        int localPort = connectionFactory
                .getPublisherConnectionFactory()
                .createConnection()
                .getLocalPort();
        for (String line : rabbitmqctl("list_connections", "peer_port", "channels")) {
            String[] fields = line.trim().split("\\s+");
            if (fields.length == 2 && fields[0].equals(Integer.toString(localPort))) {
                return Integer.parseInt(fields[1]);
            }
        }
        throw new AssertionError("the broker lists no connection from port " + localPort);
    }

    private String queueCounts(String queue) throws Exception {
        for (String line : rabbitmqctl("list_queues", "name", "messages_ready", "messages_unacknowledged")) {
            String[] fields = line.trim().split("\\s+");
            if (fields.length == 3 && fields[0].equals(queue)) {
                return fields[1] + " " + fields[2];
            }
        }
        throw new AssertionError("the broker lists no queue " + queue);
    }

    /** Runs rabbitmqctl (on the PATH, else Debian's /usr/sbin/rabbitmqctl); its output lines. */
    private static List<String> rabbitmqctl(String... args) throws Exception {
        String command = new File("/usr/sbin/rabbitmqctl").canExecute() ? "/usr/sbin/rabbitmqctl" : "rabbitmqctl";
        List<String> line = new ArrayList<>(List.of(command, "-q", "--no-table-headers"));
        line.addAll(List.of(args));
        Process process = new ProcessBuilder(line).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new AssertionError("rabbitmqctl " + args[0] + " failed: " + output);
        }
        return output.lines().toList();
    }
}
