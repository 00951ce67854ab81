package com.groupbuy.market.trigger.http;

import jakarta.servlet.ServletException;
import java.io.IOException;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ValveBase;
import org.apache.coyote.ActionCode;

/**
 * {@code Expect: 100-continue} answered only for a body we read. The connector sends its {@code 100 Continue} when the
 * application first reads the body ({@code continueResponseTiming=onRead}), so a request refused before that (a
 * content type no reader honours, a body declared larger than any we read, a wrong admin token, a path nobody serves)
 * gets its refusal as its one answer and its client never sends the body. That client may still send it, or send its
 * next request instead: nothing tells the two apart. Tomcat closes such a connection after an answer outside 2xx and
 * drains the body after a 2xx one — read as a request, a body would be a request its client never sent, and drained,
 * one the client withholds holds the thread until the read times out. Ours refuse a body larger than 64 KiB with 200
 * {@code 0002} (the envelope's code says it), so this valve closes the connection after any answer to a request whose
 * body was announced and never asked for.
 */
public class ExpectContinueValve extends ValveBase {

    public ExpectContinueValve() {
        super(true);
    }

    @Override
    public void invoke(Request request, Response response) throws IOException, ServletException {
        try {
            getNext().invoke(request, response);
        } finally {
            org.apache.coyote.Request announced = request.getCoyoteRequest();
            // The connector sends the 100 at the first read of the body: no byte read, no 100 sent.
            if (announced.hasExpectation() && announced.getBytesRead() == 0 && announcesBody(request)) {
                announced.action(ActionCode.DISABLE_SWALLOW_INPUT, null);
            }
        }
    }

    private static boolean announcesBody(Request request) {
        return request.getContentLengthLong() > 0 || request.getHeader("Transfer-Encoding") != null;
    }
}
