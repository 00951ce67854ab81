package com.groupbuy.market.foundation;

import static com.groupbuy.market.support.TestJson.JSON;
import static com.groupbuy.market.support.TestJson.fields;
import static com.groupbuy.market.support.TestJson.post;
import static com.groupbuy.market.support.TestJson.postEnvelope;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.groupbuy.market.support.EchoTestController;
import com.groupbuy.market.support.SharedContextIntegrationTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/** The running service: health over the real database and Redis, and the error envelope partners rely on. */
@SharedContextIntegrationTest
class FoundationIT {

    private static final String ECHO = "/test-only/echo";

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void healthIsUpWithDatabaseAndRedisChecked() throws Exception {
        HttpResponse<String> response = get("/actuator/health");

        JsonNode health = JSON.readTree(response.body());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(health.path("status").asText()).isEqualTo("UP");
        assertThat(health.path("components").path("db").path("status").asText()).isEqualTo("UP");
        assertThat(health.path("components").path("redis").path("status").asText())
                .isEqualTo("UP");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"name\": \"a\", ", "{\"name\": \"a\", \"amount\": 1x}", "name=a&amount=1", ""})
    void bodyThatIsNotJsonGets400InOurEnvelopeAndWritesNothing(String body) throws Exception {
        HttpResponse<String> response = post(port, ECHO, body);

        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode envelope = JSON.readTree(response.body());
        assertThat(fields(envelope)).containsExactly("code", "info", "data");
        assertThat(envelope.path("code").asText()).isEqualTo("0002");
        assertThat(rowsWritten()).isZero();
    }

    @Test
    void mistypedFieldGets200With0002NamingTheFieldAndWritesNothing() throws Exception {
        JsonNode body = postEnvelope(port, ECHO, "{\"name\": \"a\", \"amount\": \"ten\"}");

        assertThat(body.path("code").asText()).isEqualTo("0002");
        assertThat(body.path("info").asText()).contains("amount");
        assertThat(body.path("data").isNull()).isTrue();
        assertThat(rowsWritten()).isZero();
    }

    @Test
    void outOfRangeFieldGets200With0002NamingTheFieldAndWritesNothing() throws Exception {
        JsonNode body = postEnvelope(port, ECHO, "{\"name\": \"a\", \"amount\": 99999999999999999999999}");

        assertThat(body.path("code").asText()).isEqualTo("0002");
        assertThat(body.path("info").asText()).contains("amount");
        assertThat(rowsWritten()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"amount\": 10}", "{\"name\": \"  \", \"amount\": 10}", "{\"name\": null}"})
    void missingRequiredFieldGets200With0002NamingTheFieldAndWritesNothing(String json) throws Exception {
        JsonNode body = postEnvelope(port, ECHO, json);

        assertThat(body.path("code").asText()).isEqualTo("0002");
        assertThat(body.path("info").asText()).contains("name");
        assertThat(rowsWritten()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"[]", "\"a\"", "42"})
    void wellFormedJsonOfTheWrongShapeGets200With0002AndWritesNothing(String json) throws Exception {
        JsonNode body = postEnvelope(port, ECHO, json);

        assertThat(body.path("code").asText()).isEqualTo("0002");
        assertThat(rowsWritten()).isZero();
    }

    @Test
    void mistypedOrMissingQueryParameterGets200With0002NamingIt() throws Exception {
        for (String query : new String[] {"?amount=ten", ""}) {
            HttpResponse<String> response = get(ECHO + query);

            assertThat(response.statusCode()).isEqualTo(200);
            JsonNode body = JSON.readTree(response.body());
            assertThat(fields(body)).containsExactly("code", "info", "data");
            assertThat(body.path("code").asText()).isEqualTo("0002");
            assertThat(body.path("info").asText()).contains("amount");
        }
    }

    @Test
    void unexpectedFailureGets500With0001AndNoInternalsInTheBody() throws Exception {
        HttpResponse<String> response = post(port, "/test-only/fail", "{\"name\": \"a\"}");

        assertThat(response.statusCode()).isEqualTo(500);
        JsonNode body = JSON.readTree(response.body());
        assertThat(fields(body)).containsExactly("code", "info", "data");
        assertThat(body.path("code").asText()).isEqualTo("0001");
        assertThat(response.body())
                .doesNotContain(EchoTestController.INTERNAL_DETAIL)
                .doesNotContain("IllegalStateException")
                .doesNotContain("at com.");
    }

    @Test
    void wellFormedRequestIsAcceptedSoTheRefusalsAboveAreRealRefusals() throws Exception {
        JsonNode body = postEnvelope(port, ECHO, "{\"name\": \"accepted\", \"amount\": 10}");

        assertThat(body.path("code").asText()).isEqualTo("0000");
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM crowd_tags WHERE tag_id = 'accepted'", Integer.class))
                .isEqualTo(1);
    }

    private int rowsWritten() {
        return jdbc.queryForObject(
                "SELECT COUNT(*) FROM crowd_tags WHERE tag_name LIKE 'echo%' AND tag_id <> 'accepted'", Integer.class);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }
}
