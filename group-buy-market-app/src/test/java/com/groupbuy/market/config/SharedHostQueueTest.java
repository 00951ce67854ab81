package com.groupbuy.market.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.groupbuy.market.domain.outbox.adapter.port.INotifyGateway;
import com.groupbuy.market.domain.outbox.model.valobj.DeliveryResult;
import com.groupbuy.market.domain.outbox.model.valobj.NotifyTaskVO;
import com.groupbuy.market.infrastructure.gateway.guard.EndpointGuards;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.boot.autoconfigure.amqp.RabbitProperties;

/**
 * A compensation page's HTTP callbacks as the production wiring queues them (NotifyGuardConfig: EndpointQueues in
 * front of the guards), when two partners' notifyUrls name one host and port. The breaker and bulkhead are the
 * partner's and the endpoint's (a caller chooses the host:port in its notifyUrl, SharedHostBreakerIT); the queue
 * must be too, or one partner's hanging sends hold the only places another partner's callbacks wait for.
 */
class SharedHostQueueTest {

    private final ExecutorService senders = Executors.newFixedThreadPool(16);

    @AfterEach
    void stop() {
        senders.shutdownNow();
    }

    @Test
    void onePartnersHangingSendsToAHostDoNotHoldAnotherPartnersCallbacksToIt() throws Exception {
        NotifyGuardProperties properties = new NotifyGuardProperties();
        EndpointGuards guards = new EndpointGuards(properties.settings(), new SimpleMeterRegistry(), Clock.systemUTC());
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch honestSent = new CountDownLatch(1);
        INotifyGateway partners = task -> {
            if (task.getSource().equals("s66")) {
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return new DeliveryResult(false, null, 10_000, "SocketTimeoutException: timeout");
            }
            honestSent.countDown();
            return new DeliveryResult(true, 200, 3, null);
        };
        INotifyGateway gateway = new NotifyGuardConfig()
                .notifyChannelGuards(
                        properties,
                        new NotifyProperties(),
                        guards,
                        new StaticListableBeanFactory().getBeanProvider(RabbitProperties.class),
                        senders)
                .http()
                .apply(partners);
        List<NotifyTaskVO> page = new ArrayList<>();
        for (int i = 0; i < properties.getMaxConcurrentPerEndpoint(); i++) {
            page.add(task(i, "s66", "c66", "http://shared.example:8080/hang"));
        }
        page.add(task(99, "s01", "c01", "http://shared.example:8080/notify"));

        AtomicReference<List<DeliveryResult>> results = new AtomicReference<>();
        Thread lane = new Thread(() -> results.set(gateway.deliverEach(page, t -> true)));
        lane.start();
        boolean sentMeanwhile = honestSent.await(3, TimeUnit.SECONDS);
        release.countDown();
        lane.join(10_000);

        assertThat(sentMeanwhile)
                .as("the other partner's callback was sent while the first partner's sends to that host hung")
                .isTrue();
        assertThat(results.get().get(page.size() - 1).delivered()).isTrue();
    }

    private static NotifyTaskVO task(long id, String source, String channel, String url) {
        return NotifyTaskVO.builder()
                .id(id)
                .notifyUrl(url)
                .webhookId("msg_" + id)
                .body("{}")
                .source(source)
                .channel(channel)
                .notifyType("HTTP")
                .build();
    }
}
