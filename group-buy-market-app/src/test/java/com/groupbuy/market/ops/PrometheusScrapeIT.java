package com.groupbuy.market.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.groupbuy.market.domain.outbox.service.DueCallbackDeliveryService;
import com.groupbuy.market.notify.NotifyTaskFixture;
import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.TestJson;
import com.groupbuy.market.support.TradeClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

/**
 * Prometheus scrapes {@code /actuator/prometheus} with the admin token (every profile but the default), and every
 * metric name the Grafana dashboard and the alert rules in {@code docs/monitoring/} use is in the scrape, the breaker
 * meters of #17 included (the test's callback goes through its endpoint's breaker).
 */
@IntegrationTest
// Spring Boot's tests switch metric export off (only the simple registry); this one scrapes the real Prometheus
// registry.
@AutoConfigureObservability(tracing = false)
@TestPropertySource(properties = {"gbm.admin.token=it-prometheus-token-0123", "gbm.notify.backoff=1h"})
class PrometheusScrapeIT {

    private static final String TOKEN = "it-prometheus-token-0123";
    private static final Pattern METRIC = Pattern.compile("\\b((?:gbm|resilience4j)_[a-z0-9_]+)\\b");
    private static final Path DOCS = Path.of("..", "docs", "monitoring");

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    DueCallbackDeliveryService notifyService;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void theScrapeNeedsTheAdminToken() throws Exception {
        HttpResponse<String> refused = scrape(null);
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(TestJson.JSON.readTree(refused.body()).path("code").asText()).isEqualTo("0002");
        assertThat(scrape("wrong").statusCode()).isEqualTo(403);
        assertThat(scrape(TOKEN).statusCode()).isEqualTo(200);
        // The rest of the actuator stays as it was outside prod.
        assertThat(http.send(
                                HttpRequest.newBuilder(URI.create(base() + "/actuator/metrics"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .statusCode())
                .isEqualTo(200);
    }

    @Test
    void onlyTheLoopbackDefaultProfileLetsAScraperInWithoutTheToken() throws Exception {
        var loaded = new org.springframework.boot.env.YamlPropertySourceLoader()
                .load("default", new org.springframework.core.io.ClassPathResource("application-default.yml"));
        assertThat(loaded.get(0).getProperty("gbm.admin.protect-prometheus")).hasToString("false");
        assertThat(loaded.get(0).getProperty("server.address")).hasToString("${SERVER_ADDRESS:127.0.0.1}");
        var shared = new org.springframework.boot.env.YamlPropertySourceLoader()
                .load("shared", new org.springframework.core.io.ClassPathResource("application.yml"));
        assertThat(shared.stream()
                        .map(p -> p.getProperty("gbm.admin.protect-prometheus"))
                        .filter(java.util.Objects::nonNull))
                .isEmpty(); // so the filter's default (protected) holds on dev, test and prod
    }

    @Test
    void everyNameOfTheDashboardAndTheAlertsIsScraped() throws Exception {
        TradeClient mall = TradeClient.onNewGoods(port, jdbc, 91801, "http://127.0.0.1:" + port + "/cb");
        JsonNode locked = mall.lock("prom-u1", "");
        JsonNode refused = mall.lock("prom-u2", "nope1234");
        try (MockWebServer partner = new MockWebServer()) {
            partner.enqueue(new MockResponse.Builder().code(500).build());
            partner.start();
            new NotifyTaskFixture(jdbc).dueTask(partner.url("/cb").toString());
            notifyService.deliverAllDue();
        }
        // An old due task, so the oldest-due age is well above zero.
        String teamId = new NotifyTaskFixture(jdbc).dueTask("http://127.0.0.1:1/cb");
        jdbc.update(
                "UPDATE notify_task SET next_attempt_time = ? WHERE team_id = ?",
                Timestamp.from(Instant.now().minusSeconds(600)),
                teamId);
        http.send(
                HttpRequest.newBuilder(URI.create(base() + "/actuator/health")).build(),
                HttpResponse.BodyHandlers.discarding());
        Thread.sleep(5_100); // the backlog gauges read a snapshot at most 5 s old

        String scrape = scrape(TOKEN).body();

        Set<String> used = new TreeSet<>();
        used.addAll(names(Files.readString(DOCS.resolve("grafana-dashboard.json"))));
        used.addAll(names(Files.readString(DOCS.resolve("prometheus-alerts.yml"))));
        assertThat(used)
                .contains(
                        "gbm_trade_requests_seconds_count",
                        "gbm_notify_tasks",
                        "gbm_notify_oldest_due_age_seconds",
                        "gbm_notify_attempts_seconds_count");
        assertThat(used).contains("resilience4j_circuitbreaker_state");
        for (String name : used) {
            assertThat(scrape).as("scrape has " + name).containsPattern("(?m)^" + name + "[{ ]");
        }
        assertThat(locked.path("code").asText()).isEqualTo("0000");
        // Partner calls are timed once, by gbm.trade.requests; Spring Boot's http.server.requests keeps the rest (#19).
        assertThat(scrape).doesNotContainPattern("http_server_requests_seconds_count\\{[^}]*uri=\"/api/v1/gbm/trade/");
        assertThat(scrape).containsPattern("http_server_requests_seconds_count\\{[^}]*uri=\"/actuator/health\"");
        assertThat(scrape)
                .containsPattern("gbm_trade_requests_seconds_count\\{[^}]*code=\"0000\"[^}]*operation=\"lock\"");
        assertThat(scrape)
                .containsPattern("gbm_trade_requests_seconds_count\\{[^}]*code=\""
                        + refused.path("code").asText() + "\"[^}]*operation=\"lock\"");
        assertThat(scrape)
                .containsPattern(
                        "gbm_notify_attempts_seconds_count\\{[^}]*channel=\"c01\"[^}]*outcome=\"failed\"[^}]*source=\"s01\"");
        assertThat(scrape).containsPattern("gbm_notify_tasks\\{[^}]*status=\"retry\"[^}]*} 1\\.0");
        Matcher age = Pattern.compile("(?m)^gbm_notify_oldest_due_age_seconds(?:\\{[^}]*})? ([0-9.E]+)")
                .matcher(scrape);
        assertThat(age.find()).isTrue();
        assertThat(Double.parseDouble(age.group(1))).isGreaterThan(590);
    }

    private static Set<String> names(String text) {
        Set<String> names = new TreeSet<>();
        Matcher matcher = METRIC.matcher(text);
        while (matcher.find()) {
            names.add(matcher.group(1));
        }
        return names;
    }

    private HttpResponse<String> scrape(String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base() + "/actuator/prometheus"))
                .GET();
        if (token != null) {
            request.header("X-Admin-Token", token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private String base() {
        return "http://127.0.0.1:" + port;
    }
}
