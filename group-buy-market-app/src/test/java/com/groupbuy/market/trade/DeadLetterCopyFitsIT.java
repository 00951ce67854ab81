package com.groupbuy.market.trade;

import static com.groupbuy.market.support.TestJson.JSON;
import static org.assertj.core.api.Assertions.assertThat;

import com.groupbuy.market.support.CloseCheckQueues;
import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.trigger.listener.RecordedMessageListener;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
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
 * restart. Now the copy keeps the id in a header of its own, lands once, and the bundle is acknowledged.
 * <p>
 * Needs {@code rabbitmqctl} able to reach the broker (as {@code MqPartnerUserIT}): it counts the publisher
 * connection's channels.
 */
@IntegrationTest
@TestPropertySource(properties = {"gbm.close-check.retry-delay=20ms", "gbm.notify.backoff=1h,1h"})
class DeadLetterCopyFitsIT {

    private static final CloseCheckQueues QUEUES = CloseCheckQueues.named("gbm_t_copyfit_");
    private static final String QUEUE = QUEUES.queue();
    private static final String DEAD = QUEUES.deadLetter();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        QUEUES.register(registry);
    }

    /** The test's own connection: the app's template publishes on the app's publisher connection, counted here. */
    private static final CachingConnectionFactory OWN = new CachingConnectionFactory("127.0.0.1", 5672);

    private static final RabbitTemplate RABBIT = new RabbitTemplate(OWN);

    @AfterAll
    static void dropBrokerObjects() {
        OWN.destroy();
        QUEUES.delete();
    }

    @Autowired
    CachingConnectionFactory connectionFactory;

    @Autowired
    MeterRegistry meters;

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
        long deadline = System.currentTimeMillis() + 15_000;
        while (System.currentTimeMillis() < deadline) {
            Message message = RABBIT.receive(DEAD);
            if (message != null) {
                return message;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no dead-letter copy within 15 s; deliveries decided dead: " + dead()
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
