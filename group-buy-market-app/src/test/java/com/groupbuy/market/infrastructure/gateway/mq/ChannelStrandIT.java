package com.groupbuy.market.infrastructure.gateway.mq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.groupbuy.market.support.AlarmedBroker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
 * factory and template as the service publishes, with a 1 s channel RPC timeout: each test on a connection of its own,
 * both blocked by one alarm (its raise, its clear and the channel list are each a {@code rabbitmqctl} call of seconds).
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
        assertThat(channelsLeftAfterThreeTimedOutOpens().refused()).isEqualTo(3);
    }

    @Test
    void aChannelWhoseOpenTimedOutIsClosed() throws Exception {
        assertThat(channelsLeftAfterThreeTimedOutOpens().freed()).isZero();
    }

    /** Channels left on the connection whose opens timed out as the template's, and on the guard's (freed). */
    record Left(int refused, int freed) {}

    private static Left left;

    /**
     * Both tests' connections go through one alarm, each its own connection (every {@code rabbitmqctl} call, the
     * alarm's raise and clear and the channel list, costs seconds on a busy machine): the first test to ask runs it.
     */
    private static synchronized Left channelsLeftAfterThreeTimedOutOpens() throws Exception {
        if (left == null) {
            left = bothConnections();
        }
        return left;
    }

    /** A connection of its own, through Spring's caching connection factory and template as the service publishes. */
    private record Client(CachingConnectionFactory connections, RabbitTemplate template, ExecutorService holder) {

        static Client connected() {
            com.rabbitmq.client.ConnectionFactory rabbit = new com.rabbitmq.client.ConnectionFactory();
            rabbit.setHost("127.0.0.1");
            rabbit.setPort(port);
            rabbit.setChannelRpcTimeout(1000);
            rabbit.setChannelShouldCheckRpcResponseType(true);
            CachingConnectionFactory connections = new CachingConnectionFactory(rabbit);
            return new Client(connections, new RabbitTemplate(connections), Executors.newSingleThreadExecutor());
        }

        /** The broker names the connection's channels after its client address: its one connection's port. */
        int clientPort() {
            template.execute(channel -> null);
            return connections.createConnection().getLocalPort();
        }

        /** A channel held: published into the alarm, as a page awaiting its confirms, until {@code release}. */
        Future<?> hold(CountDownLatch published, CountDownLatch release) {
            return holder.submit(() -> template.invoke(operations -> operations.execute(channel -> {
                channel.basicPublish("", "gbmtest.nobody", null, new byte[] {1});
                published.countDown();
                release.await(60, TimeUnit.SECONDS);
                return null;
            })));
        }

        /** The broker has read what waited in the socket once an exclusive queue's declare after it is answered. */
        int probe() {
            return template.execute(channel -> {
                channel.queueDeclare();
                return channel.getChannelNumber();
            });
        }

        void close() {
            holder.shutdownNow();
            connections.destroy();
        }
    }

    private static int leftBeside(Map<Integer, List<Integer>> channels, int clientPort, int probe) {
        List<Integer> left = new ArrayList<>(channels.get(clientPort));
        // The probe's channel stays open in Spring's cache: seen, it says these are our connection's channels.
        assertThat(left)
                .as("channels of the connection from port %d", clientPort)
                .contains(probe);
        left.remove(Integer.valueOf(probe));
        return left.size();
    }

    /**
     * On each connection one channel held (published into the alarm, as a page awaiting its confirms), three opens
     * timed out beside it: on one as the template's, on the other through the exchange guard's declare (a production
     * caller that frees them); then the alarm cleared: the channels the broker has on each connection once it answered
     * them, but the one a round trip after the alarm used (the held one is not among them either: measured, Spring did
     * not keep it).
     */
    private static Left bothConnections() throws Exception {
        Client refusing = Client.connected();
        Client freeing = Client.connected();
        CountDownLatch published = new CountDownLatch(2);
        CountDownLatch release = new CountDownLatch(1);
        try {
            int refusingPort = refusing.clientPort();
            int freeingPort = freeing.clientPort();
            broker.raiseAlarm();
            try {
                List<Future<?>> held = List.of(refusing.hold(published, release), freeing.hold(published, release));
                assertThat(published.await(20, TimeUnit.SECONDS)).isTrue();
                Thread.sleep(500);
                for (int i = 0; i < 3; i++) {
                    Throwable refused =
                            catchThrowable(() -> refusing.template().execute(channel -> channel.getChannelNumber()));
                    assertThat(refused).hasRootCauseInstanceOf(TimeoutException.class);
                    assertThat(refused).hasStackTraceContaining("channel.open");
                }
                MqExchangeGuard guard = new MqExchangeGuard(
                        freeing.template(), "gbmtest.strand", "gbmtest.strand.internal", Duration.ofSeconds(1));
                for (int i = 0; i < 3; i++) {
                    // A production caller: the exchange guard's declare, whose channel's open times out.
                    assertThat(guard.declare()).isEqualTo(MqExchangeGuard.State.UNREACHABLE);
                }
                release.countDown();
                // Cleared before the held channels' close: amqp-client waits a fixed 10 s for a close-ok the broker
                // sends only once it reads the connection again. Nothing counted below depends on which comes first:
                // the held channel is closed either way before the probe.
                broker.clearAlarm();
                for (Future<?> one : held) {
                    one.get(20, TimeUnit.SECONDS);
                }
            } finally {
                release.countDown();
                broker.clearAlarm();
            }
            // The broker reads what waited in the sockets (the opens, and the closes of freed ones) and answers; a
            // round trip after it on the same connection (an exclusive queue's declare) says it has read them all.
            int refusingProbe = refusing.probe();
            int freeingProbe = freeing.probe();
            // A channel's close is its own process's on the broker: given a moment to be counted.
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            Map<Integer, List<Integer>> channels = broker.channelsOf(refusingPort, freeingPort);
            Left seen = new Left(
                    leftBeside(channels, refusingPort, refusingProbe), leftBeside(channels, freeingPort, freeingProbe));
            while (!seen.equals(new Left(3, 0)) && System.nanoTime() < deadline) {
                Thread.sleep(200);
                channels = broker.channelsOf(refusingPort, freeingPort);
                seen = new Left(
                        leftBeside(channels, refusingPort, refusingProbe),
                        leftBeside(channels, freeingPort, freeingProbe));
            }
            return seen;
        } finally {
            refusing.close();
            freeing.close();
        }
    }
}
