package com.groupbuy.market.trade;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.SilentNameServer;
import com.groupbuy.market.support.SilentNames;
import com.groupbuy.market.support.TradeClient;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

/**
 * One partner's silent names must not close the lock-time lookup pool to other partners. Partner A (s08/c08) sends
 * locks naming hosts under {@code *.silent.gbm-test}, whose name server (a real one on loopback,
 * {@link SilentNameServer}) reads every query and never answers: each lookup holds a resolver thread for the
 * resolver's {@value SilentNameServer#RESOLVER_TIMEOUT_MS} ms, long after A's locks were refused at the 500 ms bound.
 * Then partner B (s01/c01) locks with a host it never named before, which resolves. On main A's names held every
 * resolver thread and B's lock was refused "lookups are busy" ({@code E0204}); with a share per partner A holds
 * at most {@code max-per-partner} threads and B's lookup runs on another.
 */
@IntegrationTest
@TestPropertySource(
        properties = {
            "gbm.notify.lock-lookup.timeout=500ms",
            "gbm.notify.lock-lookup.threads=4",
            "gbm.notify.lock-lookup.max-per-partner=2"
        })
class LockLookupPerPartnerIT {

    @RegisterExtension
    static final SilentNames names = new SilentNames();

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    MeterRegistry meters;

    @Test
    void onePartnersSilentNamesLeaveTheLookupPoolOpenToAnotherPartnersNewHost() throws Exception {
        long activityId = 7801;
        TradeClient partnerB = TradeClient.onNewGoods(port, jdbc, activityId, "http://b-new.honest.gbm-test:1/cb");
        // Warm the service with a lock naming an address (nothing to resolve).
        assertThat(new TradeClient(port, activityId, "g" + activityId, "http://127.0.0.1:1/cb")
                        .lock("warm-1", "")
                        .path("code")
                        .asText())
                .isEqualTo("0000");
        int before = names.queries();

        ExecutorService attackers = Executors.newFixedThreadPool(6);
        List<Future<JsonNode>> attack = new ArrayList<>();
        try {
            for (int i = 1; i <= 6; i++) {
                String user = "flood-" + i;
                String url = "http://a" + i + ".silent.gbm-test/cb";
                attack.add(attackers.submit(() -> TradeClient.lockNaming(port, "s08", "c08", user, url)));
            }
            for (Future<JsonNode> refused : attack) {
                JsonNode answer = refused.get(30, TimeUnit.SECONDS);
                assertThat(answer.path("code").asText()).as(answer.toString()).isEqualTo("E0204");
                assertThat(answer.path("info").asText()).containsAnyOf("did not resolve in time", "busy");
                assertThat(answer.has("data")).isTrue();
                assertThat(answer.size()).as("only code, info, data").isEqualTo(3);
            }
        } finally {
            attackers.shutdownNow();
        }
        int silentLookups = names.queries() - before;
        assertThat(silentLookups).as("A's silent lookups under way").isGreaterThanOrEqualTo(1);
        // A's locks were all answered at the 500 ms bound; their lookups hold resolver threads for the resolver's
        // 4 s. B's host is new: it needs a thread of its own. B's lock waits for its lookup at most the same 500 ms
        // and is refused "busy" at once with no thread free, so its 0000 is what tells that it did not wait for A's
        // name server; how long the whole lock took (a loaded machine's business) is not asserted.
        JsonNode answer = partnerB.lock("b-user-1", "");

        assertThat(answer.path("code").asText())
                .as("partner B's new host while A's %d silent lookups run: %s", silentLookups, answer)
                .isEqualTo("0000");
        assertThat(names.queries() - before - silentLookups)
                .as("B's host was looked up")
                .isGreaterThanOrEqualTo(1);
        assertThat(silentLookups)
                .as("A held at most its share of resolver threads")
                .isLessThanOrEqualTo(2);
        assertThat(jdbc.queryForObject(
                        "SELECT COUNT(*) FROM group_buy_order_list WHERE user_id LIKE 'flood-%'", Integer.class))
                .as("nothing written for a refused lock")
                .isZero();
        assertThat(jdbc.queryForObject(
                        "SELECT COUNT(*) FROM group_buy_order_list WHERE user_id = 'b-user-1'", Integer.class))
                .isEqualTo(1);
        names.awaitUnansweredLookupsOver();
    }
}
