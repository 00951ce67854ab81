package com.groupbuy.market.foundation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.groupbuy.market.support.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The running service: health over the real database and Redis, and the error envelope partners rely on. */
@IntegrationTest
class FoundationIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

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
        assertThat(health.path("components").path("redis").path("status").asText()).isEqualTo("UP");
    }

    @Test
    void bodyThatIsNotJsonGets400InOurEnvelopeAndWritesNothing() throws Exception {
        HttpResponse<String> response = post("/test-only/echo", "{\"name\": \"a\", ");

        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode body = JSON.readTree(response.body());
        assertThat(fieldNames(body)).containsExactly("code", "info", "data");
        assertThat(body.path("code").asText()).isEqualTo("0002");
        assertThat(rowsWritten()).isZero();
    }

    @Test
    void mistypedFieldGets200With0002NamingTheFieldAndWritesNothing() throws Exception {
        HttpResponse<String> response = post("/test-only/echo", "{\"name\": \"a\", \"amount\": \"ten\"}");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = JSON.readTree(response.body());
        assertThat(fieldNames(body)).containsExactly("code", "info", "data");
        assertThat(body.path("code").asText()).isEqualTo("0002");
        assertThat(body.path("info").asText()).contains("amount");
        assertThat(rowsWritten()).isZero();
    }

    @Test
    void wellFormedRequestIsAcceptedSoTheRefusalsAboveAreRealRefusals() throws Exception {
        HttpResponse<String> response = post("/test-only/echo", "{\"name\": \"accepted\", \"amount\": 10}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(response.body()).path("code").asText()).isEqualTo("0000");
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM crowd_tags WHERE tag_id = 'accepted'", Integer.class))
                .isEqualTo(1);
    }

    private int rowsWritten() {
        return jdbc.queryForObject("SELECT COUNT(*) FROM crowd_tags WHERE tag_name LIKE 'echo%' AND tag_id <> 'accepted'",
                Integer.class);
    }

    private static List<String> fieldNames(JsonNode node) {
        return iterable(node.fieldNames());
    }

    private static <T> List<T> iterable(java.util.Iterator<T> it) {
        java.util.List<T> list = new java.util.ArrayList<>();
        it.forEachRemaining(list::add);
        return list;
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
