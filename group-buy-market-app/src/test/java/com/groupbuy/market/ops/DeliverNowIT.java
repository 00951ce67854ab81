package com.groupbuy.market.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.groupbuy.market.domain.outbox.service.DueCallbackDeliveryService;
import com.groupbuy.market.notify.NotifyTaskFixture;
import com.groupbuy.market.support.IntegrationTest;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

/**
 * "Deliver now" after a partner outage: the operator moves waiting retries (one host, one source + channel, or all)
 * to due now and is told how many moved; nothing else changes.
 */
@IntegrationTest
@TestPropertySource(properties = "gbm.admin.token=it-admin-token-0123456789")
class DeliverNowIT {

    private static final String TOKEN = "it-admin-token-0123456789";
    private static final String PATH = "/api/v1/gbm/admin/notify/tasks/deliver-now";
    private static final ObjectMapper JSON = new ObjectMapper();

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    DueCallbackDeliveryService notifyService;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void aPartnersHostMovesOnlyItsWaitingRetriesAndTheNextRunSendsThem() throws Exception {
        NotifyTaskFixture tasks = new NotifyTaskFixture(jdbc);
        try (MockWebServer partner = new MockWebServer()) {
            partner.start();
            partner.enqueue(new MockResponse.Builder().code(200).body("success").build());
            partner.enqueue(new MockResponse.Builder().code(200).body("success").build());
            String host = "it-" + System.nanoTime() + ".example";
            String a1 = waitingRetry(tasks, partner.url("/cb").toString());
            String a2 = waitingRetry(tasks, partner.url("/cb2").toString());
            String other = waitingRetry(tasks, "http://" + host + "/cb");

            JsonNode answer = post(PATH + "?host=" + partner.url("/").host().toUpperCase(), TOKEN, 200);
            notifyService.deliverAllDue();

            assertThat(answer.path("code").asText()).isEqualTo("0000");
            assertThat(answer.path("data").path("moved").asLong()).isEqualTo(2);
            assertThat(tasks.status(a1)).isEqualTo(1);
            assertThat(tasks.status(a2)).isEqualTo(1);
            assertThat(tasks.status(other)).isEqualTo(2);
            assertThat(dueInHours(other)).isTrue();
            assertThat(partner.getRequestCount()).isEqualTo(2);
            assertThat(post(PATH + "?host=" + partner.url("/").host(), TOKEN, 200)
                            .path("data")
                            .path("moved")
                            .asLong())
                    .isZero();
        }
    }

    /**
     * A host is the one the callbacks are sent to, as the delivery client (OkHttp) reads the stored URL. Read with
     * {@code java.net.URI}, which keeps an IPv6 literal as written, "deliver now" for 127.0.0.1 missed the retries of
     * {@code http://[::ffff:127.0.0.1]:…}, which are sent to 127.0.0.1, and {@code ::1} missed
     * {@code [0:0:0:0:0:0:0:1]}; a trailing dot names the same DNS host.
     */
    @Test
    void aHostMovesTheRetriesSentToItWhicheverWayTheirUrlWritesIt() throws Exception {
        NotifyTaskFixture tasks = new NotifyTaskFixture(jdbc);
        try (MockWebServer partner = new MockWebServer()) {
            partner.start(InetAddress.getByName("127.0.0.1"), 0);
            partner.enqueue(new MockResponse.Builder().code(200).body("success").build());
            String mapped = waitingRetry(tasks, "http://[::ffff:127.0.0.1]:" + partner.getPort() + "/cb");
            String longIpv6 = waitingRetry(tasks, "http://[0:0:0:0:0:0:0:1]:1/cb");
            String shortIpv6 = waitingRetry(tasks, "http://[::1]:1/cb");
            String rootDot = waitingRetry(tasks, "http://mall-dot.example./cb");

            JsonNode byAddress = post(PATH + "?host=127.0.0.1", TOKEN, 200);
            notifyService.deliverAllDue();

            assertThat(byAddress.path("code").asText()).isEqualTo("0000");
            assertThat(tasks.status(mapped)).isEqualTo(1);
            assertThat(partner.getRequestCount()).isEqualTo(1);
            assertThat(dueInHours(longIpv6)).isTrue();

            assertThat(post(PATH + "?host=::1", TOKEN, 200)
                            .path("data")
                            .path("moved")
                            .asLong())
                    .isEqualTo(2);
            assertThat(dueInHours(longIpv6)).isFalse();
            assertThat(dueInHours(shortIpv6)).isFalse();

            assertThat(post(PATH + "?host=MALL-DOT.example", TOKEN, 200)
                            .path("data")
                            .path("moved")
                            .asLong())
                    .isEqualTo(1);
            assertThat(dueInHours(rootDot)).isFalse();
        }
    }

    @Test
    void aSourceAndChannelOrAllMoveTheirsAndCountThem() throws Exception {
        NotifyTaskFixture tasks = new NotifyTaskFixture(jdbc);
        String source = "s" + (System.nanoTime() % 1_000_000);
        String mine1 = waitingRetry(tasks, "http://mall-a.example/cb");
        String mine2 = waitingRetry(tasks, "http://mall-b.example/cb");
        String notMine = waitingRetry(tasks, "http://mall-a.example/cb");
        String failed = waitingRetry(tasks, "http://mall-a.example/cb");
        jdbc.update(
                "UPDATE notify_task SET source = ?, channel = 'cx' WHERE team_id IN (?, ?, ?)",
                source,
                mine1,
                mine2,
                failed);
        jdbc.update("UPDATE notify_task SET notify_status = 3 WHERE team_id = ?", failed);

        JsonNode bySource = post(PATH + "?source=" + source + "&channel=cx", TOKEN, 200);

        assertThat(bySource.path("data").path("moved").asLong()).isEqualTo(2);
        assertThat(dueInHours(mine1)).isFalse();
        assertThat(dueInHours(mine2)).isFalse();
        assertThat(dueInHours(notMine)).isTrue();
        assertThat(dueInHours(failed)).isTrue();
        assertThat(tasks.status(failed)).isEqualTo(3);
        assertThat(tasks.count(mine1)).isEqualTo(3);

        JsonNode all = post(PATH + "?all=true", TOKEN, 200);

        assertThat(all.path("data").path("moved").asLong()).isGreaterThanOrEqualTo(1);
        assertThat(dueInHours(notMine)).isFalse();
        assertThat(dueInHours(failed)).isTrue();
    }

    /**
     * A partner is its source + channel as sent, trailing and leading spaces included (trade requests take them as
     * they are). Before, the filter's source and channel were trimmed: "deliver now" for {@code s… } moved the
     * waiting retries of {@code s…}, another partner, and none of the partner it named.
     */
    @Test
    void aSourceWithSpacesNamesThatPartnerAlone() throws Exception {
        NotifyTaskFixture tasks = new NotifyTaskFixture(jdbc);
        String source = "t" + (System.nanoTime() % 1_000_000);
        String spaced = waitingRetry(tasks, "http://mall-a.example/cb");
        String plain = waitingRetry(tasks, "http://mall-a.example/cb");
        String leading = waitingRetry(tasks, "http://mall-a.example/cb");
        jdbc.update("UPDATE notify_task SET source = ?, channel = 'cx' WHERE team_id = ?", source + " ", spaced);
        jdbc.update("UPDATE notify_task SET source = ?, channel = 'cx' WHERE team_id = ?", source, plain);
        jdbc.update("UPDATE notify_task SET source = ?, channel = ' cx' WHERE team_id = ?", source, leading);

        JsonNode bySpaced = post(PATH + "?source=" + source + "%20&channel=cx", TOKEN, 200);

        assertThat(bySpaced.path("data").path("moved").asLong()).isEqualTo(1);
        assertThat(dueInHours(spaced)).isFalse();
        assertThat(dueInHours(plain)).isTrue();
        assertThat(dueInHours(leading)).isTrue();

        JsonNode byLeading = post(PATH + "?source=" + source + "&channel=%20cx", TOKEN, 200);

        assertThat(byLeading.path("data").path("moved").asLong()).isEqualTo(1);
        assertThat(dueInHours(leading)).isFalse();
        assertThat(dueInHours(plain)).isTrue();
    }

    @Test
    void aLeasedTaskStaysWithTheRunThatHoldsIt() throws Exception {
        NotifyTaskFixture tasks = new NotifyTaskFixture(jdbc);
        String leased = waitingRetry(tasks, "http://mall-leased.example/cb");
        jdbc.update(
                "UPDATE notify_task SET claimed_by = 'other-worker', claim_until = UTC_TIMESTAMP(3) + INTERVAL 1 MINUTE "
                        + "WHERE team_id = ?",
                leased);

        assertThat(post(PATH + "?host=mall-leased.example", TOKEN, 200)
                        .path("data")
                        .path("moved")
                        .asLong())
                .isZero();
        assertThat(dueInHours(leased)).isTrue();
    }

    @Test
    void anUnclearFilterIsRefusedNamingTheFieldAndMovesNothing() throws Exception {
        NotifyTaskFixture tasks = new NotifyTaskFixture(jdbc);
        String waiting = waitingRetry(tasks, "http://mall-c.example/cb");

        assertThat(post(PATH, TOKEN, 200).path("code").asText()).isEqualTo("0002");
        assertThat(post(PATH + "?host=mall-c.example&all=true", TOKEN, 200)
                        .path("info")
                        .asText())
                .contains("filter");
        assertThat(post(PATH + "?source=s01", TOKEN, 200).path("info").asText()).contains("channel");
        assertThat(post(PATH + "?host=http://mall-c.example/", TOKEN, 200)
                        .path("info")
                        .asText())
                .contains("host");
        assertThat(post(PATH + "?host=mall-c.example%5Cx", TOKEN, 200)
                        .path("info")
                        .asText())
                .contains("host");
        assertThat(post(PATH + "?host=mall-c.example:8080", TOKEN, 200)
                        .path("info")
                        .asText())
                .contains("host");
        assertThat(post(PATH + "?all=false", TOKEN, 200).path("code").asText()).isEqualTo("0002");
        assertThat(post(PATH + "?all=true", null, 403).path("data").isNull()).isTrue();
        assertThat(post(PATH + "?all=true", "wrong", 403).path("code").asText()).isEqualTo("0002");
        assertThat(dueInHours(waiting)).isTrue();
    }

    /** A RETRY task after three attempts, next attempt hours away (a partner outage). */
    private String waitingRetry(NotifyTaskFixture tasks, String url) {
        String teamId = tasks.dueTask(url);
        jdbc.update(
                "UPDATE notify_task SET notify_status = 2, notify_count = 3, "
                        + "next_attempt_time = UTC_TIMESTAMP(3) + INTERVAL 3 HOUR WHERE team_id = ?",
                teamId);
        return teamId;
    }

    private boolean dueInHours(String teamId) {
        return jdbc.queryForObject(
                "SELECT next_attempt_time > UTC_TIMESTAMP(3) + INTERVAL 1 HOUR FROM notify_task " + "WHERE team_id = ?",
                Boolean.class,
                teamId);
    }

    private JsonNode post(String path, String token, int expectedStatus) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .POST(HttpRequest.BodyPublishers.noBody());
        if (token != null) {
            request.header("X-Admin-Token", token);
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path).isEqualTo(expectedStatus);
        return JSON.readTree(response.body());
    }
}
