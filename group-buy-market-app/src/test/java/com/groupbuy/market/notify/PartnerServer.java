package com.groupbuy.market.notify;

import com.groupbuy.market.infrastructure.gateway.guard.EndpointGuards;
import com.groupbuy.market.support.TestJson;
import java.io.IOException;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.HttpUrl;

/**
 * A partner's callback endpoint for the notify ITs: a real HTTP server on this machine that answers each callback as
 * the test says, given the request's path and the team id in its body. Closed by the test (it lets go of its port).
 */
final class PartnerServer implements AutoCloseable {

    /** How the partner answers one callback; may block, as a slow or hanging partner does. */
    @FunctionalInterface
    interface Answer {
        MockResponse answer(String path, String teamId) throws InterruptedException;
    }

    private final MockWebServer server = new MockWebServer();

    PartnerServer(Answer answer) {
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
                return answer.answer(request.getUrl().encodedPath(), teamOf(request));
            }
        });
    }

    PartnerServer start() throws IOException {
        server.start();
        return this;
    }

    /** The callback URL for {@code path} on this partner. */
    String url(String path) {
        return server.url(path).toString();
    }

    /**
     * The endpoint as the guards and their meters name it for partner s01/c01 (the fixture's default): one breaker and
     * bulkhead per partner, host and port.
     */
    String endpoint() {
        HttpUrl url = server.url("/");
        return EndpointGuards.ofPartner("http:" + url.host() + ":" + url.port(), "s01", "c01");
    }

    /** An HTTP answer with a body: {@code 200 success} is the acknowledgement. */
    static MockResponse answer(int code, String body) {
        return new MockResponse.Builder().code(code).body(body).build();
    }

    @Override
    public void close() {
        server.close();
    }

    private static String teamOf(RecordedRequest request) {
        try {
            return TestJson.JSON
                    .readTree(request.getBody().utf8())
                    .path("teamId")
                    .asText();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
