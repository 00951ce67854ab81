package com.groupbuy.market.notify;

import static com.groupbuy.market.support.TestJson.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.trigger.listener.MqDemoListener;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serial;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Whatever a peer of the broker publishes on the notify exchange reaches the demo listener (default profile): it
 * must keep it as bytes and never run what it was sent. A Java-serialized body was handed to Spring's default
 * converter, which deserialized the classes it allows (every {@link Number}, arrays, strings) and threw for the rest —
 * an exception the container does not count as fatal, so such a message came back at once, again and again.
 */
@IntegrationTest
class MqDemoListenerHostileIT {

    private static final String EXCHANGE =
            "gbm_t_demo_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);

    @DynamicPropertySource
    static void broker(DynamicPropertyRegistry registry) {
        registry.add("gbm.mq.enabled", () -> "true");
        registry.add("gbm.mq.demo-listener", () -> "true");
        registry.add("gbm.mq.exchange", () -> EXCHANGE);
    }

    @AfterAll
    static void dropExchange() {
        CachingConnectionFactory factory = new CachingConnectionFactory("127.0.0.1", 5672);
        try {
            new RabbitAdmin(factory).deleteExchange(EXCHANGE);
        } finally {
            factory.destroy();
        }
    }

    @Autowired
    RabbitTemplate rabbit;

    @Autowired
    MqDemoListener demo;

    /** A class the default converter allows (a Number) whose deserialization is counted. */
    static final class Tripwire extends Number implements Serializable {
        @Serial
        private static final long serialVersionUID = 1L;

        static final AtomicInteger READS = new AtomicInteger();

        @Serial
        private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
            in.defaultReadObject();
            READS.incrementAndGet();
        }

        @Override
        public int intValue() {
            return 0;
        }

        @Override
        public long longValue() {
            return 0;
        }

        @Override
        public float floatValue() {
            return 0;
        }

        @Override
        public double doubleValue() {
            return 0;
        }
    }

    @Test
    void javaSerializedBodiesAreKeptAsBytesNeverDeserializedAndEachIsTakenOnce() throws Exception {
        String allowed = publishSerialized(new Tripwire());
        // Not on the converter's allow list: its refusal was not fatal, so the message was redelivered at once,
        // forever.
        String refused = publishSerialized(new ArrayList<>(List.of("x")));
        String good = "msg_good_" + UUID.randomUUID().toString().replace("-", "");
        rabbit.send(
                EXCHANGE,
                "topic.team_success",
                MessageBuilder.withBody("{\"ok\":true}".getBytes(StandardCharsets.UTF_8))
                        .setMessageId(good)
                        .setContentType(MessageProperties.CONTENT_TYPE_JSON)
                        .build());

        await(() -> received(good) == 1);

        assertThat(Tripwire.READS.get()).as("deserializations of the body sent").isZero();
        assertThat(received(allowed))
                .as("the allowed class's message, kept as bytes")
                .isEqualTo(1);
        assertThat(received(refused))
                .as("the refused class's message, kept once")
                .isEqualTo(1);
    }

    private String publishSerialized(Serializable object) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(object);
        }
        String id = "msg_serialized_" + UUID.randomUUID().toString().replace("-", "");
        rabbit.send(
                EXCHANGE,
                "topic.team_success",
                MessageBuilder.withBody(bytes.toByteArray())
                        .setMessageId(id)
                        .setContentType(MessageProperties.CONTENT_TYPE_SERIALIZED_OBJECT)
                        .build());
        return id;
    }

    private long received(String messageId) {
        return demo.received().stream()
                .map(entry -> entry.get("messageId"))
                .filter(messageId::equals)
                .count();
    }
}
