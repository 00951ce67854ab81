package com.groupbuy.market.outage;

import static com.groupbuy.market.support.TestJson.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.groupbuy.market.domain.outbox.model.valobj.NotifyRunSummary;
import com.groupbuy.market.domain.outbox.model.valobj.NotifyTaskVO;
import com.groupbuy.market.domain.outbox.service.DueCallbackDeliveryService;
import com.groupbuy.market.infrastructure.gateway.mq.AmqpNotifyGateway;
import com.groupbuy.market.infrastructure.gateway.mq.MqExchangeGuard;
import com.groupbuy.market.notify.MqTaskFixture;
import com.groupbuy.market.support.AlarmedBroker;
import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.MallQueue;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.autoconfigure.amqp.RabbitProperties;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * A broker resource alarm (memory or disk low) blocks every connection that publishes: the broker stops reading from
 * it, so every later RPC on it (a channel's open, an exchange declare) waits for the channel RPC timeout, 10 minutes.
 * MQ callbacks due during the alarm must wait in the outbox at once, not hold the delivery thread, the exchange guard
 * every other MQ delivery and health check waits on, and the health endpoint; those not published use no try (our
 * broker's alarm is no fault of the partner's). Against a RabbitMQ node of the alarm tests' own, whose memory alarm it
 * raises.
 */
@IntegrationTest
@TestPropertySource(
        properties = {
            "gbm.notify.backoff=1h,1h",
            "gbm.notify.jitter=0",
            "gbm.mq.confirm-timeout=2s",
            // the bound the channel open below waits out (5 s by default): 2 s is still far from the client's 10 min
            "spring.rabbitmq.channel-rpc-timeout=2s"
        })
class MqBlockedBrokerIT {

    @RegisterExtension
    static final AlarmedBroker broker = new AlarmedBroker();

    @DynamicPropertySource
    static void broker(DynamicPropertyRegistry registry) throws Exception {
        broker.start(registry);
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    DueCallbackDeliveryService notifyService;

    @Autowired
    @Qualifier("mqChannel")
    HealthIndicator mqChannel;

    @Autowired
    RabbitTemplate notifyRabbitTemplate;

    @Autowired
    CachingConnectionFactory connectionFactory;

    @Autowired
    RabbitProperties rabbit;

    /**
     * The window the exchange guard cannot close: the broker stops reading from our publisher connection at its first
     * publish after the alarm, and tells us so ({@code connection.blocked}) only then. A thread that passed the guard
     * just before (another lane of the run, an after-commit send, a close check) and needs a new channel, its cached
     * ones held by publishes awaiting confirms, sends {@code channel.open} into a connection the broker no longer
     * reads: it must give up within {@code spring.rabbitmq.channel-rpc-timeout} (2 s here, 5 s by default), not the AMQP client's own
     * default (10 min: on main it waited 600,021 ms).
     */
    @Test
    void aChannelOpenedJustAfterAPublishIntoTheAlarmGivesUpWithinTheChannelRpcTimeout() throws Exception {
        // No channel cached: the publisher connection is made anew, as after a broker restart.
        ((CachingConnectionFactory) connectionFactory.getPublisherConnectionFactory()).resetConnection();
        ExecutorService publisher = Executors.newSingleThreadExecutor();
        CountDownLatch published = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (BlockedOutbox outbox = new BlockedOutbox(jdbc)) {
            broker.raiseAlarm();
            try {
                // One thread publishes into the alarm on its channel and keeps it, as a batch awaiting its confirms.
                Future<?> holder = publisher.submit(() -> notifyRabbitTemplate.invoke(operations -> {
                    operations.send("", "gbm.it.nobody", new Message(new byte[] {1}, new MessageProperties()));
                    published.countDown();
                    try {
                        release.await(60, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return null;
                }));
                assertThat(published.await(20, TimeUnit.SECONDS)).isTrue();
                long start = System.nanoTime();
                Throwable refused = outbox.within(
                        Duration.ofSeconds(30),
                        () -> catchThrowable(() -> notifyRabbitTemplate.execute(channel -> channel.getChannelNumber())),
                        "a new channel's open on the blocked publisher connection");
                long waitedMs = (System.nanoTime() - start) / 1_000_000;
                assertThat(refused)
                        .as("waited %d ms", waitedMs)
                        .hasRootCauseInstanceOf(TimeoutException.class)
                        .hasMessageContaining("channel.open");
                assertThat(waitedMs)
                        .isLessThan(rabbit.getChannelRpcTimeout().plusSeconds(3).toMillis());
                release.countDown();
                holder.get(20, TimeUnit.SECONDS);
            } finally {
                release.countDown();
                broker.clearAlarm();
                publisher.shutdownNow();
            }
        }
        // The connection serves again once the alarm lifts.
        await(() -> "UP".equals(mqChannel.health().getStatus().getCode()));
    }

    @Autowired
    AmqpNotifyGateway gateway;

    @Autowired
    MqExchangeGuard guard;

    /**
     * A page bigger than the publisher connection's socket buffers, published into the alarm: the broker reads
     * nothing after the page's first publish, so the client's socket write blocks once the buffers are full (about
     * 3,600 publishes of 1 KB on this host) and held the page's thread — a lane of the run — past its confirm timeout,
     * until the alarm lifted. The page stops publishing once the broker tells us it blocks us.
     */
    @Test
    void aPageBiggerThanTheSocketBuffersPublishedIntoTheAlarmEndsWithinItsConfirmTimeout() throws Exception {
        assertThat(guard.ensureDeclared()).isNull();
        String batch = UUID.randomUUID().toString().substring(0, 6);
        StringBuilder orders = new StringBuilder();
        for (int i = 0; i < 40; i++) {
            orders.append(i == 0 ? "" : ",")
                    .append("\"")
                    .append(batch)
                    .append("-order-")
                    .append(i)
                    .append("\"");
        }
        List<NotifyTaskVO> page = new ArrayList<>();
        for (int i = 0; i < 6_000; i++) {
            page.add(NotifyTaskVO.builder()
                    .id(i)
                    .webhookId("msg_blkpage" + batch + i)
                    .teamId(batch + i)
                    .source("s01")
                    .channel("c01")
                    .notifyCategory("trade_settlement")
                    .notifyType("MQ")
                    .notifyMq("topic.team_success")
                    .body("{\"teamId\":\"" + batch + i + "\",\"outTradeNoList\":[" + orders + "]}")
                    .build());
        }
        try (BlockedOutbox outbox = new BlockedOutbox(jdbc)) {
            outbox.pageIntoTheAlarm(
                    broker, page.size(), () -> gateway.deliverAll(page), "a page of 6,000 MQ callbacks");
        }
        await(() -> "UP".equals(mqChannel.health().getStatus().getCode()));
    }

    @Test
    void callbacksDueWhileTheBrokerBlocksUsWaitWithoutUsingATryAndAreDeliveredWhenItLifts() throws Exception {
        String batch = UUID.randomUUID().toString().substring(0, 6);
        MqTaskFixture tasks = new MqTaskFixture(jdbc, "msg_blk");
        try (MallQueue mall = new MallQueue(broker.port(), "topic.team_success");
                BlockedOutbox outbox = new BlockedOutbox(jdbc)) {
            List<String> warmUp = tasks.due(batch + "w", 1);
            assertThat(notifyService.deliverAllDue().delivered()).isEqualTo(1);
            await(() -> mall.forTeam(warmUp.get(0)).size() == 1);

            List<String> teams = new ArrayList<>();
            broker.raiseAlarm();
            try {
                // The first page publishes into the blocked connection (the broker tells us it blocks us only
                // then) and gets no confirm within the 2 s.
                List<String> first = tasks.due(batch + "a", 3);
                NotifyRunSummary during =
                        outbox.within(Duration.ofSeconds(20), notifyService::deliverAllDue, "first run");
                assertThat(during.delivered()).isZero();
                assertThat(during.retried()).isEqualTo(3);
                teams.addAll(first);

                // Every later page, and the health check, must not wait on the blocked connection.
                List<String> second = tasks.due(batch + "b", 3);
                NotifyRunSummary again =
                        outbox.within(Duration.ofSeconds(20), notifyService::deliverAllDue, "second run");
                assertThat(again.delivered()).isZero();
                assertThat(again.retried()).isEqualTo(3);
                // Our broker's alarm is no fault of the partner: not sent, no try used, due again in seconds.
                outbox.assertNotSentNoTry(second, "blocks our publisher connection");
                teams.addAll(second);

                // However long the alarm lasts (run after run), no task comes closer to FAIL.
                outbox.runsIntoTheAlarmUseNoTry(notifyService::deliverAllDue, teams);

                Health health = outbox.within(Duration.ofSeconds(5), mqChannel::health, "mqChannel health");
                assertThat(health.getStatus()).isEqualTo(Status.DOWN);
                assertThat(String.valueOf(health.getDetails().get("state"))).isEqualTo("BLOCKED");
                HttpResponse<String> actuator = outbox.within(
                        Duration.ofSeconds(10),
                        () -> HttpClient.newHttpClient()
                                .send(
                                        HttpRequest.newBuilder(
                                                        URI.create("http://127.0.0.1:" + port + "/actuator/health"))
                                                .build(),
                                        HttpResponse.BodyHandlers.ofString()),
                        "/actuator/health");
                assertThat(actuator.statusCode()).isEqualTo(503);
                assertThat(outbox.statuses(teams)).containsOnly(2);
            } finally {
                broker.clearAlarm();
            }

            // Once the alarm lifts the job delivers every one of them (a publish whose confirm timed out may land as
            // well: at least once, never none).
            await(() -> "UP".equals(mqChannel.health().getStatus().getCode()));
            outbox.makeRetriesDue();
            NotifyRunSummary after = outbox.within(Duration.ofSeconds(20), notifyService::deliverAllDue, "run after");
            assertThat(after.delivered()).isEqualTo(teams.size());
            assertThat(outbox.statuses(teams)).containsOnly(1);
            await(() -> teams.stream().allMatch(t -> !mall.forTeam(t).isEmpty()));
        }
    }
}
