package com.groupbuy.market.infrastructure.gateway.mq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.groupbuy.market.domain.outbox.model.valobj.DeliveryResult;
import com.groupbuy.market.domain.outbox.model.valobj.NotSentReason;
import com.groupbuy.market.domain.outbox.model.valobj.NotifyTaskVO;
import com.groupbuy.market.infrastructure.gateway.FromAnAddressNotOurs;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

/**
 * An MQ publish that cannot open its connection for a fault of our own process (here the kernel's EADDRNOTAVAIL: no
 * local address to connect from) reached no broker: its callbacks wait, no try used. On main each was a failed attempt
 * ("not published: declare failed: …" or "AMQP publish failed: …") and a failure of the broker's breaker, which every
 * MQ partner shares.
 */
class AmqpOwnSocketFaultTest {

    private final AtomicBoolean failing = new AtomicBoolean(true);
    private final CachingConnectionFactory connections = connections();
    /** Names of this test's own on the shared broker, deleted after it (fixed names stayed there, one per run). */
    private final String shared =
            "gbm.test.ownfault." + UUID.randomUUID().toString().substring(0, 8);

    private final String internal = shared + ".internal";

    @AfterEach
    void close() {
        connections.destroy();
        if (brokerUp()) {
            CachingConnectionFactory broker = new CachingConnectionFactory("127.0.0.1", 5672);
            try {
                RabbitAdmin admin = new RabbitAdmin(broker);
                admin.deleteExchange(shared);
                admin.deleteExchange(internal);
            } finally {
                broker.destroy();
            }
        }
    }

    /** Before any connection: the exchange's declare is what cannot connect. */
    @Test
    void noConnectionToDeclareOnIsOurFault() {
        AmqpNotifyGateway gateway =
                gateway(new MqExchangeGuard(new RabbitTemplate(connections), shared, internal, Duration.ZERO));

        assertOursAll(gateway.deliverAll(List.of(task(1), task(2))));
    }

    /** The exchange declared on an earlier connection, which is gone: the publish's new connection cannot open. */
    @Test
    void noNewConnectionToPublishOnIsOurFault() {
        assumeTrue(brokerUp(), "the shared RabbitMQ on 127.0.0.1:5672");
        failing.set(false);
        MqExchangeGuard exchange =
                new MqExchangeGuard(new RabbitTemplate(connections), shared, internal, Duration.ZERO);
        assertThat(exchange.ensureDeclared()).isNull();
        connections.resetConnection();
        failing.set(true);

        assertOursAll(gateway(exchange).deliverAll(List.of(task(1), task(2))));
    }

    private static void assertOursAll(List<DeliveryResult> results) {
        assertThat(results).hasSize(2).allSatisfy(result -> {
            assertThat(result.notSentReason()).isEqualTo(NotSentReason.LOCAL_RESOURCES);
            assertThat(result.error())
                    .startsWith("not sent: our host has no local port or address to connect from")
                    .contains("Cannot assign requested address");
        });
    }

    private CachingConnectionFactory connections() {
        com.rabbitmq.client.ConnectionFactory rabbit = new com.rabbitmq.client.ConnectionFactory();
        rabbit.setHost("127.0.0.1");
        rabbit.setPort(5672);
        rabbit.setConnectionTimeout(2000);
        rabbit.setSocketFactory(new FromAnAddressNotOurs(failing::get));
        CachingConnectionFactory factory = new CachingConnectionFactory(rabbit);
        factory.setPublisherConfirmType(CachingConnectionFactory.ConfirmType.CORRELATED);
        factory.setPublisherReturns(true);
        return factory;
    }

    private AmqpNotifyGateway gateway(MqExchangeGuard exchange) {
        RabbitTemplate template = new RabbitTemplate(connections);
        template.setMandatory(true);
        return new AmqpNotifyGateway(
                template, exchange, (source, channel) -> null, Clock.systemUTC(), Duration.ofSeconds(5));
    }

    private static NotifyTaskVO task(long id) {
        return NotifyTaskVO.builder()
                .id(id)
                .webhookId("msg_" + id)
                .teamId("t" + id)
                .source("s01")
                .channel("c01")
                .notifyCategory("trade_settlement")
                .notifyType("MQ")
                .notifyMq("topic.team_success")
                .body("{}")
                .claimToken("x")
                .build();
    }

    private static boolean brokerUp() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", 5672), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
