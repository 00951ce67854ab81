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
    /** What each answer waits for (kept at once, answered once it holds), and for how long at most; null: nothing. */
    private volatile java.util.function.BooleanSupplier holdUntil;

    private volatile long holdMillis;
    /** Whether an answer stopped waiting for {@link #holdUntil} at its bound, the condition still false. */
    private volatile boolean holdRanOut;

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
                held();
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

    /**
     * From now on each callback is kept at once but answered only once {@code condition} holds (checked every 10 ms,
     * one check at a time; once it held, every answer goes at once), each held {@code atMost} at most (keep it under
     * the caller's read timeout): a partner slow until something happened elsewhere. {@link #holdRanOut} tells whether
     * an answer went at that bound, the condition still false (the answers after it are not held).
     */
    public void holdAnswersUntil(java.util.function.BooleanSupplier condition, java.time.Duration atMost) {
        holdMillis = atMost.toMillis();
        holdUntil = condition;
    }

    /** Whether an answer held by {@link #holdAnswersUntil} went at its bound, the condition still false. */
    public boolean holdRanOut() {
        return holdRanOut;
    }

    private void held() {
        java.util.function.BooleanSupplier condition = holdUntil;
        if (condition == null) {
            return;
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(holdMillis);
        while (true) {
            synchronized (this) {
                if (holdUntil == null) {
                    return;
                }
                if (condition.getAsBoolean()) {
                    holdUntil = null;
                    return;
                }
            }
            if (System.nanoTime() > deadline) {
                // Said by holdRanOut; the answers after it go at once.
                holdRanOut = true;
                holdUntil = null;
                return;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
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
