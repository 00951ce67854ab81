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
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

/**
 * The actuator as prod configures it (application-prod.yml, checked by ProfileDefaultsTest): a load balancer gets
 * UP/DOWN from /actuator/health; details and every metric need the admin token. The Prometheus registry on, as in
 * production (tests leave it off unless asked).
 */
@IntegrationTest
@AutoConfigureObservability(tracing = false)
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

    /** What a browser, a monitor or a careless script may send; none is a reason to refuse an operator's read. */
    private static final String[] ODD_ACCEPTS = {
        "text/plain",
        "text/html",
        "text/html,application/xhtml+xml,application/xml;q=0.9",
        "application/xml",
        "*/*;q=0",
        "garbage",
        "text/plain;version=9",
        "application/json"
    };

    /**
     * Every actuator endpoint answers its own body whatever {@code Accept} says. Before, the actuator matched
     * {@code Accept} itself: {@code /actuator/health} asked with {@code text/plain} or {@code text/html} (a load
     * balancer's or a browser's) was 406, so a health check that sends such a header saw the service as down.
     */
    @Test
    void everyActuatorEndpointAnswersItsBodyWhateverAcceptSays() throws Exception {
        for (String accept : ODD_ACCEPTS) {
            HttpResponse<String> health = get("/actuator/health", null, accept);
            assertThat(health.statusCode()).as(accept + " " + health.body()).isEqualTo(200);
            assertThat(JSON.readTree(health.body()).path("status").asText())
                    .as(accept)
                    .isEqualTo("UP");
            for (String path : new String[] {
                "/actuator",
                "/actuator/health",
                "/actuator/health/traffic",
                "/actuator/health/db",
                "/actuator/info",
                "/actuator/metrics",
                "/actuator/metrics/jvm.memory.used"
            }) {
                assertThat(jsonAnswer(path, accept).isObject())
                        .as(path + " " + accept)
                        .isTrue();
            }
            assertThat(get("/actuator/metrics", null, accept).statusCode())
                    .as(accept)
                    .isEqualTo(403);
        }
    }

    /**
     * {@code /actuator/prometheus} answers the Prometheus text format unless the scraper names another it has
     * (OpenMetrics): an {@code Accept} that names none of its formats (JSON, HTML, garbage) gets the default text,
     * never a 406 saying "JSON only" as before.
     */
    @Test
    void prometheusAnswersItsTextWhateverAcceptSaysAndKeepsAScrapersChoice() throws Exception {
        for (String accept : ODD_ACCEPTS) {
            HttpResponse<String> scrape = get("/actuator/prometheus", TOKEN, accept);
            assertThat(scrape.statusCode()).as(accept + " " + scrape.body()).isEqualTo(200);
            assertThat(scrape.headers().firstValue("Content-Type"))
                    .as(accept)
                    .hasValueSatisfying(type -> assertThat(type).startsWith("text/plain;version=0.0.4"));
            assertThat(scrape.body()).as(accept).contains("# TYPE jvm_memory_used_bytes gauge");
        }
        HttpResponse<String> openMetrics = get(
                "/actuator/prometheus",
                TOKEN,
                "application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5,*/*;q=0.1");
        assertThat(openMetrics.statusCode()).isEqualTo(200);
        assertThat(openMetrics.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/openmetrics-text"));
        assertThat(openMetrics.body()).contains("# EOF");
        assertThat(get("/actuator/prometheus", null, "application/json").statusCode())
                .isEqualTo(403);
    }

    /** The admin API never negotiated: every read answers the envelope, {@code 0000}, whatever {@code Accept} says. */
    @Test
    void everyAdminReadAnswersTheEnvelopeWhateverAcceptSays() throws Exception {
        for (String accept : ODD_ACCEPTS) {
            for (String path : new String[] {
                "/api/v1/gbm/admin/switches",
                "/api/v1/gbm/admin/switches/changes",
                "/api/v1/gbm/admin/notify/tasks",
                "/api/v1/gbm/admin/progress",
                "/api/v1/gbm/admin/mq/consumption-records",
                "/api/v1/gbm/admin/console/session",
                "/api/v1/gbm/admin/console/activities",
                "/api/v1/gbm/admin/console/notify/tasks",
                "/api/v1/gbm/admin/console/tag-imports",
                "/api/v1/gbm/admin/console/switches"
            }) {
                JsonNode body = jsonAnswer(path, accept);
                assertThat(body.path("code").asText()).as(path + " " + accept).isEqualTo("0000");
                assertThat(body.size()).as(path + " " + accept).isEqualTo(3);
            }
        }
    }

    /**
     * No actuator path changes anything, token or not: the write endpoints (loggers, env, caches, shutdown) and the
     * dumps are not exposed, and the exposed ones take no write. A logger level that could be turned to DEBUG or TRACE
     * over HTTP could make libraries log what they hold (request headers, the admin token); the level stays as set.
     */
    @Test
    void noActuatorPathWritesOrDumpsAnything() throws Exception {
        String level = "{\"configuredLevel\":\"TRACE\"}";
        for (String token : new String[] {null, TOKEN}) {
            for (String[] call : new String[][] {
                {"POST", "/actuator/loggers/ROOT"},
                {"POST", "/actuator/loggers/com.groupbuy"},
                {"GET", "/actuator/loggers"},
                {"POST", "/actuator/env"},
                {"GET", "/actuator/env"},
                {"DELETE", "/actuator/caches"},
                {"POST", "/actuator/shutdown"},
                {"GET", "/actuator/heapdump"},
                {"GET", "/actuator/threaddump"},
                {"GET", "/actuator/configprops"},
                {"POST", "/actuator/health"},
                {"POST", "/actuator/metrics/jvm.memory.used"},
                {"DELETE", "/actuator/prometheus"}
            }) {
                HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + call[1]))
                        .header("Content-Type", "application/json")
                        .method(call[0], HttpRequest.BodyPublishers.ofString(level));
                if (token != null) {
                    request.header("X-Admin-Token", token);
                }
                HttpResponse<String> answer = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
                assertThat(answer.statusCode())
                        .as(call[0] + " " + call[1] + " " + token)
                        .isIn(403, 404, 405);
                JsonNode body = JSON.readTree(answer.body());
                assertThat(body.path("code").asText()).as(call[1]).isEqualTo("0002");
                assertThat(body.size()).as(call[1]).isEqualTo(3);
            }
        }
        assertThat(org.slf4j.LoggerFactory.getLogger("com.groupbuy").isTraceEnabled())
                .isFalse();
        assertThat(org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)
                        .isDebugEnabled())
                .isFalse();
    }

    /** The token holder's 200 answer to {@code path} asked with {@code accept}: JSON, its body read. */
    private JsonNode jsonAnswer(String path, String accept) throws Exception {
        HttpResponse<String> answer = get(path, TOKEN, accept);
        assertThat(answer.statusCode())
                .as(path + " " + accept + " " + answer.body())
                .isEqualTo(200);
        assertThat(answer.headers().firstValue("Content-Type"))
                .as(path + " " + accept)
                .hasValueSatisfying(
                        type -> assertThat(type).startsWith("application/").contains("json"));
        return JSON.readTree(answer.body());
    }

    private HttpResponse<String> get(String path, String token) throws Exception {
        return get(path, token, null);
    }

    private HttpResponse<String> get(String path, String token, String accept) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .GET();
        if (token != null) {
            request.header("X-Admin-Token", token);
        }
        if (accept != null) {
            request.header("Accept", accept);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
