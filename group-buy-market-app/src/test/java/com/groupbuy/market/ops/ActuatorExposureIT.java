package com.groupbuy.market.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.groupbuy.market.support.IntegrationTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

/**
 * The actuator as prod configures it (application-prod.yml, checked by ProfileDefaultsTest): a load balancer gets
 * UP/DOWN from /actuator/health; details and every metric need the admin token.
 */
@IntegrationTest
@TestPropertySource(
        properties = {
            "gbm.admin.token=it-admin-token-0123456789",
            "gbm.admin.protect-actuator=true",
            "management.endpoint.health.show-details=when-authorized"
        })
class ActuatorExposureIT {

    private static final String TOKEN = "it-admin-token-0123456789";
    private static final ObjectMapper JSON = new ObjectMapper();

    @LocalServerPort
    int port;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void healthAnswersStatusOnlyWithoutTheToken() throws Exception {
        HttpResponse<String> response = get("/actuator/health", null);

        JsonNode health = JSON.readTree(response.body());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(health.path("status").asText()).isEqualTo("UP");
        assertThat(health.has("components")).isFalse();
        assertThat(health.has("details")).isFalse();
        assertThat(get("/actuator/health/db", null).statusCode()).isEqualTo(404);
    }

    @Test
    void theLoadBalancersHealthGroupAnswersStatusOnlyWithoutTheToken() throws Exception {
        // The traffic group (application.yml) is another way into the same components: without the token it must
        // not name our database, Redis or broker, their versions or hosts, nor answer one component alone.
        HttpResponse<String> group = get("/actuator/health/traffic", null);

        JsonNode health = JSON.readTree(group.body());
        assertThat(group.statusCode()).isEqualTo(200);
        assertThat(health.path("status").asText()).isEqualTo("UP");
        assertThat(health.has("components")).as(group.body()).isFalse();
        assertThat(health.has("details")).as(group.body()).isFalse();
        for (String component : new String[] {"db", "redis", "diskSpace", "ping"}) {
            assertThat(get("/actuator/health/traffic/" + component, null).statusCode())
                    .as(component)
                    .isEqualTo(404);
        }
        assertThat(JSON.readTree(get("/actuator/health/traffic", TOKEN).body())
                        .path("components")
                        .has("db"))
                .as("the token holder still sees them")
                .isTrue();
    }

    @Test
    void healthDetailsForTheTokenHolder() throws Exception {
        JsonNode health = JSON.readTree(get("/actuator/health", TOKEN).body());

        assertThat(health.path("components").path("db").path("status").asText()).isEqualTo("UP");
        assertThat(health.path("components").path("redis").path("status").asText())
                .isEqualTo("UP");
        assertThat(JSON.readTree(get("/actuator/health", "wrong").body()).has("components"))
                .isFalse();
    }

    @Test
    void everyMetricNeedsTheToken() throws Exception {
        for (String path : new String[] {
            "/actuator/metrics",
            "/actuator/metrics/jvm.memory.used",
            "/actuator/metrics/gbm.notify.due.backlog",
            "/actuator",
            "/actuator/info",
            "/actuator/health/../metrics",
            "/actuator//metrics",
            "/actuator/metrics;x=y"
        }) {
            HttpResponse<String> refused = get(path, null);
            assertThat(refused.statusCode()).as(path).isIn(400, 403, 404);
            assertThat(refused.body()).as(path).doesNotContain("measurements").doesNotContain("jvm.");
            assertThat(get(path, "wrong").body())
                    .as(path)
                    .doesNotContain("measurements")
                    .doesNotContain("jvm.");
        }
        assertThat(get("/actuator/metrics", null).statusCode()).isEqualTo(403);
        assertThat(JSON.readTree(get("/actuator/metrics", null).body())
                        .path("code")
                        .asText())
                .isEqualTo("0002");

        HttpResponse<String> allowed = get("/actuator/metrics/jvm.memory.used", TOKEN);
        assertThat(allowed.statusCode()).isEqualTo(200);
        assertThat(allowed.body()).contains("measurements");
        assertThat(get("/actuator/metrics", TOKEN).body()).contains("gbm.notify.due.backlog");
    }

    /**
     * An operator's malformed actuator query is the operator's error, answered 400 in the envelope: the metrics
     * endpoint refuses a tag without {@code key:value} with Spring's {@code ResponseStatusException} (400), which the
     * envelope's catch-all answered 500 {@code 0001} with an ERROR stack trace, as if the service had failed.
     */
    @Test
    void aMalformedMetricsQueryIsTheCallersErrorNotOurs() throws Exception {
        for (String tag : new String[] {"bad", "area", "area=heap"}) {
            HttpResponse<String> refused = get("/actuator/metrics/jvm.memory.used?tag=" + tag, TOKEN);

            assertThat(refused.statusCode()).as(tag).isEqualTo(400);
            assertThat(refused.headers().firstValue("Content-Type"))
                    .as(tag)
                    .hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
            JsonNode body = JSON.readTree(refused.body());
            assertThat(body.path("code").asText()).as(tag).isEqualTo("0002");
            assertThat(body.path("info").asText()).as(tag).contains("key:value");
            assertThat(body.has("data")).as(tag).isTrue();
            assertThat(body.size()).as(tag).isEqualTo(3);
        }
        assertThat(get("/actuator/metrics/jvm.memory.used?tag=area:heap", TOKEN).statusCode())
                .isEqualTo(200);
    }

    /** "Nothing by that name" from the actuator is our envelope too, not a bare 404 without a body. */
    @Test
    void anUnknownMetricOrHealthComponentIsAnsweredInTheEnvelope() throws Exception {
        for (String path : new String[] {
            "/actuator/metrics/no.such.metric",
            "/actuator/metrics/jvm.memory.used?tag=area:nowhere",
            "/actuator/health/nope"
        }) {
            HttpResponse<String> missing = get(path, TOKEN);

            assertThat(missing.statusCode()).as(path).isEqualTo(404);
            assertThat(missing.headers().firstValue("Content-Type"))
                    .as(path)
                    .hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
            JsonNode body = JSON.readTree(missing.body());
            assertThat(body.path("code").asText()).as(path).isEqualTo("0002");
            assertThat(body.path("info").asText()).as(path).isEqualTo("no such path");
            assertThat(body.size()).as(path).isEqualTo(3);
        }
        assertThat(get("/actuator/metrics/no.such.metric", null).statusCode()).isEqualTo(403);
    }

    private HttpResponse<String> get(String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .GET();
        if (token != null) {
            request.header("X-Admin-Token", token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
