package com.groupbuy.market.support;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

/** A partner's callback endpoint on a real HTTP server: acknowledges every callback and keeps its JSON body. */
public final class PartnerReceiver implements AutoCloseable {

    private final MockWebServer server = new MockWebServer();
    private final List<JsonNode> bodies = new CopyOnWriteArrayList<>();
    private final List<Signed> signed = new CopyOnWriteArrayList<>();
    /** Callbacks still to answer with HTTP 500 {@code error} (not kept), as a partner that is down answers. */
    private final java.util.concurrent.atomic.AtomicInteger refuseNext =
            new java.util.concurrent.atomic.AtomicInteger();

    private volatile long answerDelayMillis;

    /** A callback as sent: its body's bytes (as text) and its Standard Webhooks headers. */
    public record Signed(String body, String webhookId, String webhookTimestamp, String webhookSignature) {}

    public PartnerReceiver() throws IOException {
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                if (refuseNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                    return new MockResponse.Builder().code(500).body("error").build();
                }
                try {
                    String body = request.getBody().utf8();
                    signed.add(new Signed(
                            body,
                            request.getHeaders().get("webhook-id"),
                            request.getHeaders().get("webhook-timestamp"),
                            request.getHeaders().get("webhook-signature")));
                    bodies.add(TestJson.JSON.readTree(body));
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
                return new MockResponse.Builder()
                        .code(200)
                        .body("success")
                        .headersDelay(answerDelayMillis, TimeUnit.MILLISECONDS)
                        .build();
            }
        });
        server.start();
    }

    /** For a static receiver whose URL goes into the test's configuration. */
    public static PartnerReceiver startOrFail() {
        try {
            return new PartnerReceiver();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** From now on each callback is kept at once but acknowledged only after this long, as a slow partner answers. */
    public void answerAfter(java.time.Duration delay) {
        answerDelayMillis = delay.toMillis();
    }

    public String url() {
        return server.url("/callback").toString();
    }

    /** Every callback body received so far, in arrival order. */
    public List<JsonNode> received() {
        return List.copyOf(bodies);
    }

    /** Answers the next {@code count} callbacks with HTTP 500 {@code error}, keeping none of them. */
    public void refuseNext(int count) {
        refuseNext.set(count);
    }

    /** Every callback received so far with its signature headers, in arrival order. */
    public List<Signed> signedReceived() {
        return List.copyOf(signed);
    }

    /** The callbacks received so far whose body names this out trade number. */
    public List<JsonNode> callbacksFor(String outTradeNo) {
        return bodies.stream()
                .filter(b -> outTradeNo.equals(b.path("outTradeNo").asText()))
                .toList();
    }

    @Override
    public void close() {
        server.close();
    }
}
