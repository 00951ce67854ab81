package com.groupbuy.market.trigger.http;

import java.nio.charset.StandardCharsets;
import org.apache.coyote.Adapter;
import org.apache.coyote.Request;
import org.apache.coyote.Response;
import org.apache.tomcat.util.net.SocketEvent;

/**
 * Sends {@code OPTIONS *} down the same road as every other request. Tomcat answers that server-wide form itself,
 * before any valve or filter runs: 200, no body, an {@code Allow} listing methods no endpoint serves, and no Host
 * check ({@link HostCheckValve}) — the one answer that was not our envelope. Its target becomes {@code /*}, which no
 * one serves, so the Host check, the security headers and {@link UnservedMethodFilter} answer it like an
 * {@code OPTIONS} of any unknown path (404 {@code 0002} "no such path"). Every other request passes unchanged.
 */
public final class ServerWideOptionsAdapter implements Adapter {

    private static final byte[] NO_PATH = "/*".getBytes(StandardCharsets.ISO_8859_1);

    private final Adapter tomcat;

    public ServerWideOptionsAdapter(Adapter tomcat) {
        this.tomcat = tomcat;
    }

    @Override
    public void service(Request request, Response response) throws Exception {
        if ("OPTIONS".equals(request.getMethod()) && request.requestURI().equals("*")) {
            request.requestURI().setBytes(NO_PATH, 0, NO_PATH.length);
        }
        tomcat.service(request, response);
    }

    @Override
    public boolean prepare(Request request, Response response) throws Exception {
        return tomcat.prepare(request, response);
    }

    @Override
    public boolean asyncDispatch(Request request, Response response, SocketEvent status) throws Exception {
        return tomcat.asyncDispatch(request, response, status);
    }

    @Override
    public void log(Request request, Response response, long time) {
        tomcat.log(request, response, time);
    }

    @Override
    public void checkRecycled(Request request, Response response) {
        tomcat.checkRecycled(request, response);
    }

    @Override
    public String getDomain() {
        return tomcat.getDomain();
    }
}
