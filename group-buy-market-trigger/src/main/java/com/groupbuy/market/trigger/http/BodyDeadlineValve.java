package com.groupbuy.market.trigger.http;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ValveBase;
import org.apache.coyote.ActionCode;

/**
 * A request's body must have arrived within a bound ({@code gbm.http.body-read-timeout}) from the moment its headers
 * did. Tomcat reads a body on the request's thread and waits for each byte only up to its read timeout: a caller
 * trickling a byte every few seconds held that thread for as long as it liked, and as many such callers as request
 * threads left every partner's lock and settlement waiting (SlowBodyIT). Each read of the body checks the time; once
 * it is up the read fails with {@link RequestBodyTooSlowException} (answered 408 {@code 0002}) and Tomcat is told not
 * to drain the rest of the body (which would hold the thread again) and to close the connection after the answer. A
 * body that stops altogether is ended by Tomcat's own read timeout while reading it, set to the same bound.
 */
public class BodyDeadlineValve extends ValveBase {

    private final long timeoutNanos;

    public BodyDeadlineValve(long timeoutMillis) {
        super(true);
        this.timeoutNanos = timeoutMillis * 1_000_000L;
    }

    @Override
    public void invoke(Request request, Response response) throws IOException, ServletException {
        if (request.getContentLengthLong() > 0 || request.getHeader("Transfer-Encoding") != null) {
            request.setRequest(new Timed(request.getRequest(), request, System.nanoTime() + timeoutNanos));
        }
        getNext().invoke(request, response);
    }

    private final class Timed extends HttpServletRequestWrapper {

        private final Request connectorRequest;
        private final long deadline;
        private ServletInputStream body;
        private BufferedReader reader;

        Timed(HttpServletRequest request, Request connectorRequest, long deadline) {
            super(request);
            this.connectorRequest = connectorRequest;
            this.deadline = deadline;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (body == null) {
                body = new TimedBody(super.getInputStream(), this::checkTime);
            }
            return body;
        }

        @Override
        public BufferedReader getReader() throws IOException {
            if (reader == null) {
                String encoding = getCharacterEncoding();
                Charset charset = encoding == null ? StandardCharsets.UTF_8 : Charset.forName(encoding);
                reader = new BufferedReader(new InputStreamReader(getInputStream(), charset));
            }
            return reader;
        }

        private void checkTime() throws RequestBodyTooSlowException {
            if (System.nanoTime() - deadline > 0) {
                connectorRequest.getCoyoteRequest().action(ActionCode.DISABLE_SWALLOW_INPUT, null);
                throw new RequestBodyTooSlowException(timeoutNanos / 1_000_000L);
            }
        }
    }

    @FunctionalInterface
    private interface TimeCheck {
        void check() throws RequestBodyTooSlowException;
    }

    /** The connector's body stream, each read (blocking or not) preceded by the time check. */
    private static final class TimedBody extends ServletInputStream {

        private final ServletInputStream body;
        private final TimeCheck time;

        TimedBody(ServletInputStream body, TimeCheck time) {
            this.body = body;
            this.time = time;
        }

        @Override
        public int read() throws IOException {
            checkTime();
            return body.read();
        }

        @Override
        public int read(byte[] bytes, int offset, int length) throws IOException {
            checkTime();
            return body.read(bytes, offset, length);
        }

        @Override
        public int readLine(byte[] bytes, int offset, int length) throws IOException {
            checkTime();
            return body.readLine(bytes, offset, length);
        }

        /** The last read (the one that finds the end) may come after the time: the body is all in by then. */
        private void checkTime() throws RequestBodyTooSlowException {
            if (!body.isFinished()) {
                time.check();
            }
        }

        @Override
        public int available() throws IOException {
            return body.available();
        }

        @Override
        public boolean isFinished() {
            return body.isFinished();
        }

        @Override
        public boolean isReady() {
            return body.isReady();
        }

        @Override
        public void setReadListener(ReadListener listener) {
            body.setReadListener(listener);
        }

        @Override
        public void close() throws IOException {
            body.close();
        }
    }
}
