package com.groupbuy.market.trade;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.SilentNameServer;
import com.groupbuy.market.support.SilentNames;
import com.groupbuy.market.support.TestJson;
import com.groupbuy.market.support.TradeClient;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

/**
 * The lock checks the partner's notifyUrl host by resolving it, and the partner runs the name server that answers
 * for that host. Here a real name server on loopback reads every query of {@code *.silent.gbm-test} and never answers
 * (the JVM's resolver waits {@value SilentNameServer#RESOLVER_TIMEOUT_MS} ms for it, as a system resolver waits its
 * timeout), and answers {@code *.honest.gbm-test} with 127.0.0.1. On main the lookup ran unbounded on the request
 * thread, before the partner's rate guard: one such lock held a request thread for the resolver's whole timeout, and
 * as many of them as there are request threads (6 here) held the service away from every partner.
 */
@IntegrationTest
@TestPropertySource(
        properties = {
            "server.tomcat.threads.max=6",
            "server.tomcat.threads.min-spare=6",
            "gbm.rate-limit.pairs=s07:c07=1",
            "gbm.notify.lock-lookup.timeout=500ms",
            "gbm.notify.lock-lookup.threads=3"
        })
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LockTimeLookupIT {

    private static final AtomicInteger ACTIVITY = new AtomicInteger(7700);

    @RegisterExtension
    static final SilentNames names = new SilentNames();

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Test
    @Order(1)
    void aLockNamingAHostWhoseNameServerNeverAnswersIsRefusedWithinTheBoundAndWritesNothing() throws Exception {
        long activityId = ACTIVITY.incrementAndGet();
        // A first lock (an address: nothing to resolve) warms the service; its time is not the lookup's.
        TradeClient.onNewGoods(port, jdbc, activityId, "http://127.0.0.1:1/cb").lock("warm-1", "");
        TradeClient mall = new TradeClient(port, activityId, "g" + activityId, "http://one.silent.gbm-test:8080/cb");

        long started = System.nanoTime();
        JsonNode answer = mall.lock("silent-one", "");
        long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

        assertThat(tookMs)
                .as(
                        "answered at the 500 ms bound, not after the resolver's %d ms",
                        SilentNameServer.RESOLVER_TIMEOUT_MS)
                .isLessThan(2000);
        assertThat(answer.path("code").asText()).as(answer.toString()).isEqualTo("E0204");
        assertThat(answer.path("info").asText()).contains("did not resolve in time");
        assertThat(names.queriesFor("one.silent.gbm-test")).isEqualTo(1);
        assertThat(jdbc.queryForObject(
                        "SELECT COUNT(*) FROM group_buy_order_list WHERE user_id = 'silent-one'", Integer.class))
                .isZero();
    }

    @Test
    @Order(2)
    void aPartnerOverItsRateIsRefusedBeforeAnyLookupOfItsHost() throws Exception {
        // s07:c07 may send one lock a second: the first (an address, nothing to resolve) takes it.
        TradeClient.lockNaming(port, "s07", "c07", "rate-1", "http://127.0.0.1:1/cb");

        long started = System.nanoTime();
        JsonNode limited = TradeClient.lockNaming(port, "s07", "c07", "rate-2", "http://rate.silent.gbm-test/cb");
        long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        // Room for a lookup started without being waited for to reach the name server (it can only be missed here,
        // never fail the test).
        Thread.sleep(300);

        // "Refused before any lookup" is told by the name server, which is asked nothing, not by the refusal's time
        // (it was bounded by 400 ms, which a loaded machine can miss without any lookup): a lookup before the guard
        // asks it, on the request thread before the answer.
        System.out.println("LockTimeLookupIT: the rate guard refused in " + tookMs + " ms");
        assertThat(limited.path("code").asText()).as(limited.toString()).isEqualTo("0006");
        assertThat(names.queriesFor("rate.silent.gbm-test"))
                .as("no name server asked for a request the rate guard refuses")
                .isZero();
    }

    @Test
    @Order(3)
    void locksNamingSilentHostsOnEveryRequestThreadDoNotHoldAnHonestPartnersLock() throws Exception {
        // The earlier tests' silent lookups are over: every resolver thread is free when the attack starts.
        names.awaitUnansweredLookupsOver();
        long activityId = ACTIVITY.incrementAndGet();
        TradeClient honest = TradeClient.onNewGoods(port, jdbc, activityId, "http://cb.honest.gbm-test:1/cb");
        // The honest partner's host has been looked up once (its answer is cached) before the attack.
        assertThat(honest.lock("honest-0", "").path("code").asText()).isEqualTo("0000");
        int before = names.queries();

        ExecutorService attackers = Executors.newFixedThreadPool(6);
        List<Future<JsonNode>> attack = new ArrayList<>();
        try {
            for (int i = 1; i <= 6; i++) {
                TradeClient hostile =
                        new TradeClient(port, activityId, "g" + activityId, "http://h" + i + ".silent.gbm-test/cb");
                String user = "silent-" + i;
                attack.add(attackers.submit(() -> hostile.lock(user, "")));
            }
            // Lookups under way (the pool's 3 after the fix, one per request thread before it).
            TestJson.await(() -> names.queries() - before >= 3);

            long started = System.nanoTime();
            JsonNode answer = honest.lock("honest-1", "");
            long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

            assertThat(answer.path("code").asText()).as(answer.toString()).isEqualTo("0000");
            assertThat(tookMs)
                    .as("the honest lock did not wait for the silent name server (%d ms)", tookMs)
                    .isLessThan(1500);
            for (Future<JsonNode> refused : attack) {
                JsonNode hostile = refused.get(30, TimeUnit.SECONDS);
                assertThat(hostile.path("code").asText()).as(hostile.toString()).isEqualTo("E0204");
                assertThat(hostile.path("info").asText()).containsAnyOf("did not resolve in time", "busy");
            }
        } finally {
            attackers.shutdownNow();
        }
        assertThat(names.queries() - before)
                .as("one lookup per pool thread at most")
                .isLessThanOrEqualTo(3);
        assertThat(jdbc.queryForObject(
                        "SELECT COUNT(*) FROM group_buy_order_list WHERE user_id LIKE 'silent-%'", Integer.class))
                .isZero();
    }
}
