package com.groupbuy.market.trigger.http;

import com.groupbuy.market.types.enums.ResponseCode;
import java.io.IOException;
import java.io.Writer;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;

/**
 * Tomcat's last word on a failed request, in our envelope instead of its HTML page. Tomcat answers some requests
 * itself, before any servlet runs: a request line or header block over the size limit, a path with {@code %00},
 * an encoded {@code /} or {@code \}, an invalid escape or character, a malformed header, an unknown protocol
 * version, {@code CONNECT}, a transfer coding it does not implement. Partners decode every answer as {@code {code, info, data}}, so those get it too: client faults as 4xx
 * with {@code 0002}, our own as 5xx with {@code 0001}, never a stack trace.
 */
public class JsonErrorReportValve extends ErrorReportValve {

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        // Same guards as Tomcat's own report: only errors, only once, only when nothing was written yet.
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        AtomicBoolean ioAllowed = new AtomicBoolean(true);
        response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
        if (!ioAllowed.get()) {
            return;
        }
        if (status == 505 || status == 501) {
            // An HTTP version we do not speak, a method (CONNECT) or a transfer coding (Transfer-Encoding: gzip) Tomcat
            // does not implement: the client's fault; 5xx with 0001 is reserved for ours.
            status = 400;
        }
        String body = status >= 500
                ? Envelope.json(ResponseCode.UN_ERROR.getCode(), ResponseCode.UN_ERROR.getInfo())
                : Envelope.json(ResponseCode.ILLEGAL_PARAMETER.getCode(), "illegal parameter: " + clientFault(status));
        try {
            response.setStatus(status);
            response.setContentType("application/json");
            response.setCharacterEncoding("UTF-8");
            Writer writer = response.getReporter();
            if (writer != null) {
                writer.write(body);
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException e) {
            // The client is gone or the response is closed: there is no one left to answer.
        }
    }

    /** What a 4xx Tomcat produced means, in the words of our other refusals. */
    static String clientFault(int status) {
        return switch (status) {
            case 404 -> "no such path";
            case 405 -> "method not allowed";
            case 408 -> "request not received in time";
            case 413 -> "request too large";
            case 414 -> "request line too long";
            case 415 -> "send application/json";
            case 431 -> "request headers too large";
            default -> "malformed HTTP request (request line, path or headers)";
        };
    }
}
