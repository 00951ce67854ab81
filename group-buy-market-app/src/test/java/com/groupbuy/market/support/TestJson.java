package com.groupbuy.market.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.groupbuy.market.types.security.WebhookSignature;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;

/** Small helpers the integration tests share: JSON over real HTTP, field lists, and bounded waiting. */
public final class TestJson {

    public static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private TestJson() {}

    /** POSTs JSON to the service and returns the HTTP answer. */
    public static HttpResponse<String> post(int port, String path, String json) throws Exception {
        return post(port, path, json, Map.of());
    }

    /** POSTs JSON with extra request headers (a partner's signature) and returns the HTTP answer. */
    public static HttpResponse<String> post(int port, String path, String json, Map<String, String> headers)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        headers.forEach(request::header);
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** GETs a path of the service (a health group) and returns "status body", e.g. {@code 503 {"status":"DOWN"…}}. */
    public static String get(int port, String path) throws Exception {
        HttpResponse<String> answer = HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        return answer.statusCode() + " " + answer.body();
    }

    /** A partner's Standard Webhooks headers over {@code body}: a fresh {@code webhook-id}, now, signed with secret. */
    public static Map<String, String> signedHeaders(String secret, String body) {
        String id = "req_" + UUID.randomUUID();
        long now = Instant.now().getEpochSecond();
        return Map.of(
                "webhook-id",
                id,
                "webhook-timestamp",
                Long.toString(now),
                "webhook-signature",
                WebhookSignature.sign(secret, id, now, body));
    }

    /** POSTs JSON, asserts HTTP 200 and the exact envelope {code, info, data}, and returns the body. */
    public static JsonNode postEnvelope(int port, String path, String json) throws Exception {
        HttpResponse<String> response = post(port, path, json);
        if (response.statusCode() != 200) {
            throw new AssertionError("HTTP " + response.statusCode() + ": " + response.body());
        }
        JsonNode body = JSON.readTree(response.body());
        if (!fields(body).equals(List.of("code", "info", "data"))) {
            throw new AssertionError("envelope is not exactly {code, info, data}: " + response.body());
        }
        return body;
    }

    public static List<String> fields(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** Waits up to 15 s for a condition another thread makes true (asynchronous delivery). */
    public static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 15_000;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("condition not reached within 15 s");
            }
            Thread.sleep(50);
        }
    }
}
