package com.groupbuy.market.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.groupbuy.market.support.TestJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

/**
 * One partner mall of the model harness on a real HTTP server: its team-success endpoint ({@code /success}, the
 * notifyUrl of its locks) and its refund endpoint ({@code /refund}, its subscribed refund URL). It answers as the
 * harness tells it — {@code success}, HTTP 500, or nothing before our read timeout — and keeps only the callbacks it
 * acknowledged in time, each checked against its own signing secret (a callback signed with another partner's secret
 * is a callback meant for someone else).
 */
final class ModelPartner implements AutoCloseable {

    /** How the partner answers a callback. */
    enum Answer {
        SUCCESS,
        FAIL,
        SILENT
    }

    /** A callback this partner acknowledged: its path, its JSON body, and whether its signature was this partner's. */
    record Acknowledged(
            String path, JsonNode body, boolean signedWithOwnSecret, String webhookId, java.time.Instant at) {}

    /** Longer than the harness's gbm.notify.read-timeout, so a silent answer is a failed attempt on our side. */
    static final long SILENT_DELAY_MILLIS = 1_500;

    private final String secret;
    private final MockWebServer server = new MockWebServer();
    private final AtomicReference<Answer> answer = new AtomicReference<>(Answer.SUCCESS);
    private final List<Acknowledged> acknowledged = new CopyOnWriteArrayList<>();

    ModelPartner(String secret) {
        this.secret = secret;
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return answer(request);
            }
        });
        try {
            server.start();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private MockResponse answer(RecordedRequest request) {
        Answer now = answer.get();
        if (now == Answer.FAIL) {
            return new MockResponse.Builder().code(500).body("error").build();
        }
        if (now == Answer.SILENT) {
            return new MockResponse.Builder()
                    .headersDelay(SILENT_DELAY_MILLIS, TimeUnit.MILLISECONDS)
                    .body("success")
                    .build();
        }
        String body = request.getBody() == null ? "" : request.getBody().utf8();
        try {
            acknowledged.add(new Acknowledged(
                    request.getUrl().encodedPath(),
                    TestJson.JSON.readTree(body),
                    signedWithOwnSecret(
                            body,
                            request.getHeaders().get("webhook-id"),
                            request.getHeaders().get("webhook-timestamp"),
                            request.getHeaders().get("webhook-signature")),
                    request.getHeaders().get("webhook-id"),
                    java.time.Instant.now()));
        } catch (IOException e) {
            acknowledged.add(
                    new Acknowledged(request.getUrl().encodedPath(), null, false, null, java.time.Instant.now()));
        }
        return new MockResponse.Builder().code(200).body("success").build();
    }

    private boolean signedWithOwnSecret(String body, String id, String timestamp, String signature) {
        if (id == null || timestamp == null || signature == null) {
            return false;
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] expected = mac.doFinal((id + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8));
            return signature.equals("v1," + Base64.getEncoder().encodeToString(expected));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    void answer(Answer next) {
        answer.set(next);
    }

    String successUrl() {
        return server.url("/success").toString();
    }

    String refundUrl() {
        return server.url("/refund").toString();
    }

    /** Every callback acknowledged so far, in arrival order. */
    List<Acknowledged> acknowledged() {
        return List.copyOf(acknowledged);
    }

    /** Forgets what was acknowledged, for the next sequence (its teams and orders are new). */
    void reset() {
        acknowledged.clear();
        answer.set(Answer.SUCCESS);
    }

    @Override
    public void close() {
        server.close();
    }
}
