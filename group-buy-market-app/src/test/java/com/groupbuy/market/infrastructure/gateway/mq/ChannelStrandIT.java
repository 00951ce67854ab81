package com.groupbuy.market.infrastructure.gateway.mq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.groupbuy.market.support.AlarmedBroker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

/**
 * A channel whose open timed out in a broker alarm (the broker reads nothing from a connection it blocks): amqp-client
 * keeps its number taken and the channel in the connection's map, handed to nobody, and once the alarm lifts the
 * broker reads the open and the channel is open there too — one channel per timed-out open for the connection's life
 * (the first test: three opens, three channels left on the broker). {@link StrandedChannels#free} closes it (the
 * second, through the exchange guard's declare, one of the callers that hands it the failure). On a RabbitMQ node of the alarm tests' own ({@link AlarmedBroker}), through Spring's caching connection
 * factory and template as the service publishes, with a 1 s channel RPC timeout.
 */
class ChannelStrandIT {

    @RegisterExtension
    static final AlarmedBroker broker = new AlarmedBroker();

    private static int port;

    @BeforeAll
    static void node() throws Exception {
        broker.start((name, value) -> {
            if (name.equals("spring.rabbitmq.port")) {
                port = (Integer) value.get();
            }
        });
    }

    @Test
    void eachOpenThatTimedOutLeftAChannelTakenOnBothSidesUntilTheConnectionClosed() throws Exception {
        assertThat(channelsLeftAfterThreeTimedOutOpens(false)).isEqualTo(3);
    }

    @Test
    void aChannelWhoseOpenTimedOutIsClosed() throws Exception {
        assertThat(channelsLeftAfterThreeTimedOutOpens(true)).isZero();
    }

    private static int leftBeside(int clientPort, int probe) throws Exception {
        List<Integer> left = new ArrayList<>(broker.channelsOf(clientPort));
        // The probe's channel stays open in Spring's cache: seen, it says these are our connection's channels.
        assertThat(left)
                .as("channels of the connection from port %d", clientPort)
                .contains(probe);
        left.remove(Integer.valueOf(probe));
        return left.size();
    }

    /**
     * One channel held (published into the alarm, as a page awaiting its confirms), three opens timed out beside it;
     * then the alarm cleared: the channels the broker has on the connection once it answered them, but the one a
     * round trip after the alarm used (the held one is not among them either: measured, Spring did not keep it).
     */
    private int channelsLeftAfterThreeTimedOutOpens(boolean freed) throws Exception {
        com.rabbitmq.client.ConnectionFactory rabbit = new com.rabbitmq.client.ConnectionFactory();
        rabbit.setHost("127.0.0.1");
        rabbit.setPort(port);
        rabbit.setChannelRpcTimeout(1000);
        rabbit.setChannelShouldCheckRpcResponseType(true);
        CachingConnectionFactory connections = new CachingConnectionFactory(rabbit);
        RabbitTemplate template = new RabbitTemplate(connections);
        ExecutorService holder = Executors.newSingleThreadExecutor();
        CountDownLatch published = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try {
            template.execute(channel -> null);
            // The broker names the connection's channels after its client address: its one connection's port.
            int clientPort = connections.createConnection().getLocalPort();
            broker.raiseAlarm();
            try {
                Future<?> held = holder.submit(() -> template.invoke(operations -> operations.execute(channel -> {
                    channel.basicPublish("", "gbmtest.nobody", null, new byte[] {1});
                    published.countDown();
                    release.await(60, TimeUnit.SECONDS);
                    return null;
                })));
                assertThat(published.await(20, TimeUnit.SECONDS)).isTrue();
                Thread.sleep(500);
                MqExchangeGuard guard = new MqExchangeGuard(
                        template, "gbmtest.strand", "gbmtest.strand.internal", Duration.ofSeconds(1));
                for (int i = 0; i < 3; i++) {
                    if (freed) {
                        // A production caller: the exchange guard's declare, whose channel's open times out.
                        assertThat(guard.declare()).isEqualTo(MqExchangeGuard.State.UNREACHABLE);
                    } else {
                        Throwable refused =
                                catchThrowable(() -> template.execute(channel -> channel.getChannelNumber()));
                        assertThat(refused).hasRootCauseInstanceOf(TimeoutException.class);
                        assertThat(refused).hasStackTraceContaining("channel.open");
                    }
                }
                release.countDown();
                // Cleared before the held channel's close: amqp-client waits a fixed 10 s for a close-ok the broker
                // sends only once it reads the connection again. Nothing counted below depends on which comes first:
                // the held channel is closed either way before the probe.
                broker.clearAlarm();
                held.get(20, TimeUnit.SECONDS);
            } finally {
                release.countDown();
                broker.clearAlarm();
            }
            // The broker reads what waited in the socket (the opens, and the closes of freed ones) and answers; a
            // round trip after it on the same connection (an exclusive queue's declare) says it has read them all.
            int probe = template.execute(channel -> {
                channel.queueDeclare();
                return channel.getChannelNumber();
            });
            // A channel's close is its own process's on the broker: given a moment to be counted.
            int expected = freed ? 0 : 3;
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            int left = leftBeside(clientPort, probe);
            while (left != expected && System.nanoTime() < deadline) {
                Thread.sleep(200);
                left = leftBeside(clientPort, probe);
            }
            return left;
        } finally {
            holder.shutdownNow();
            connections.destroy();
        }
    }
}
