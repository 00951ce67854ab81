package com.groupbuy.market.support;

import java.io.IOException;
import java.util.function.Consumer;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

/** An XXL-Job admin console on a real port answering every call with one JSON body (registration, callbacks). */
public final class XxlConsoleStub {

    private XxlConsoleStub() {}

    /** Started; each request is handed to {@code seen} before the answer. */
    public static MockWebServer answering(String json, Consumer<RecordedRequest> seen) {
        MockWebServer server = new MockWebServer();
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                seen.accept(request);
                return new MockResponse.Builder()
                        .code(200)
                        .addHeader("Content-Type", "application/json")
                        .body(json)
                        .build();
            }
        });
        try {
            server.start();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return server;
    }
}
