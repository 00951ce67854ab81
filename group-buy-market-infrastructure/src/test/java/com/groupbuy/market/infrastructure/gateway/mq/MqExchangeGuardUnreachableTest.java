package com.groupbuy.market.infrastructure.gateway.mq;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

/**
 * While the broker is unreachable every MQ batch and every health probe (a load balancer's, every few seconds) tries
 * the declare again: the channel going unreachable is one WARN, not one per try. Before, each try logged it. A real
 * connection factory, to a loopback port nothing listens on: one the system just handed out and took back (a fixed
 * port was once served by another process on the same machine, and the test failed).
 */
class MqExchangeGuardUnreachableTest {

    private final Logger logger = (Logger) LoggerFactory.getLogger(MqExchangeGuard.class);
    private final ListAppender<ILoggingEvent> events = new ListAppender<>();
    private final CachingConnectionFactory nowhere = new CachingConnectionFactory("127.0.0.1", closedPort());

    @BeforeEach
    void listen() {
        events.start();
        logger.addAppender(events);
        nowhere.setConnectionTimeout(1000);
    }

    @AfterEach
    void stop() {
        logger.detachAppender(events);
        nowhere.destroy();
    }

    private static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void anUnreachableBrokerIsOneWarningHoweverOftenTheDeclareIsTried() {
        MqExchangeGuard guard = new MqExchangeGuard(
                new RabbitTemplate(nowhere), "gbm.test.notify", "gbm.test.internal", Duration.ofSeconds(30));

        for (int probe = 0; probe < 5; probe++) {
            assertThat(guard.ensureDeclared()).startsWith("broker unreachable: ");
        }

        assertThat(guard.state()).isEqualTo(MqExchangeGuard.State.UNREACHABLE);
        assertThat(events.list).extracting(ILoggingEvent::getLevel).containsExactly(Level.WARN);
        assertThat(events.list.get(0).getFormattedMessage())
                .startsWith("MQ channel: broker unreachable: ")
                .endsWith("; MQ callbacks wait in the outbox until it is back");
    }
}
