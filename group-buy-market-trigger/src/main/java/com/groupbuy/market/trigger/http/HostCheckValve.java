package com.groupbuy.market.trigger.http;

import com.groupbuy.market.types.enums.ResponseCode;
import jakarta.servlet.ServletException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ValveBase;

/**
 * Refuses a request whose {@code Host} names none of {@link AllowedHosts} — 421 Misdirected Request with
 * {@code {"code":"0002",...}} — before any filter or servlet of the application runs, whatever its path, method or
 * {@code Accept}: nothing is read, counted or written for it. A Tomcat valve rather than a servlet filter: it runs
 * once per request ahead of every filter (Spring Boot's own among them, several of which share the highest filter
 * order with ours) and is never skipped by a dispatch type. The raw {@code Host} header is read, not
 * {@code getServerName()}, which forwarded-header handling may take from {@code X-Forwarded-Host}, a header any page
 * may set.
 */
public class HostCheckValve extends ValveBase {

    /** The answer's body; the Host sent is not echoed. */
    static final String REFUSAL = Envelope.json(
            ResponseCode.ILLEGAL_PARAMETER.getCode(),
            "illegal parameter: this server does not answer to the name in Host (gbm.http.allowed-hosts)");

    private static final byte[] BODY = REFUSAL.getBytes(StandardCharsets.UTF_8);

    private final AllowedHosts hosts;

    public HostCheckValve(AllowedHosts hosts) {
        super(true);
        this.hosts = hosts;
    }

    @Override
    public void invoke(Request request, Response response) throws IOException, ServletException {
        if (hosts.admits(request.getHeader("Host"), request.getLocalAddr())) {
            getNext().invoke(request, response);
            return;
        }
        response.setStatus(421);
        response.setContentType("application/json");
        response.setContentLength(BODY.length);
        response.setHeader("Cache-Control", "no-store");
        response.getOutputStream().write(BODY);
    }
}
