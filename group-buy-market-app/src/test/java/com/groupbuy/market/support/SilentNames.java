package com.groupbuy.market.support;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A {@link SilentNameServer} for one test class: started before its first test, stopped (the JVM's own name service
 * back) after its last. Registered as {@code @RegisterExtension static final SilentNames names = new SilentNames();}
 * by the classes whose locks name hosts of {@value SilentNameServer#ZONE}.
 */
public final class SilentNames implements BeforeAllCallback, AfterAllCallback {

    private volatile SilentNameServer server;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        server = SilentNameServer.start();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        server.close();
    }

    /** See {@link SilentNameServer#queriesFor}. */
    public int queriesFor(String name) {
        return server.queriesFor(name);
    }

    /** See {@link SilentNameServer#queries}. */
    public int queries() {
        return server.queries();
    }

    /** See {@link SilentNameServer#awaitUnansweredLookupsOver}. */
    public void awaitUnansweredLookupsOver() throws InterruptedException {
        server.awaitUnansweredLookupsOver();
    }
}
