package com.groupbuy.market.trigger.http;

import jakarta.servlet.ServletException;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import org.apache.catalina.connector.ClientAbortException;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ValveBase;
import org.apache.coyote.ActionCode;

/**
 * An answer must have been taken by its caller within a bound ({@code gbm.http.answer-write-timeout}) from its first
 * byte. Tomcat writes an answer on the request's thread and, once the socket's buffers are full, waits for the caller
 * to read; its write timeout starts again with every byte the caller takes, so a caller reading a large answer (the
 * console's script, the OpenAPI description, an admin page, a metrics scrape) a few hundred bytes at a time held that
 * thread for as long as it liked, and as many such callers as request threads left every partner's lock waiting
 * (SlowReadIT). Each write is cut into pieces of at most {@link #PIECE} bytes and each piece checks the time; once it
 * is up the connection is closed without writing more ({@link ClientAbortException}: to Spring, a caller gone). A
 * piece whose write waited on the caller for {@link #SLOW_MILLIS} or longer also ends the connection after this
 * answer: a caller pipelining requests cannot hold the thread for one bound per answer.
 */
public class AnswerDeadlineValve extends ValveBase {

    /** The most written at once between two looks at the clock: about one of Tomcat's output buffers. */
    static final int PIECE = 8192;
    /** A write that waited this long was waiting for the caller to read (a partner's answer never does). */
    static final long SLOW_MILLIS = 1000;

    private final long timeoutNanos;

    public AnswerDeadlineValve(long timeoutMillis) {
        super(true);
        this.timeoutNanos = timeoutMillis * 1_000_000L;
    }

    @Override
    public void invoke(Request request, Response response) throws IOException, ServletException {
        response.setResponse(new Timed(response.getResponse(), response));
        getNext().invoke(request, response);
    }

    private final class Timed extends HttpServletResponseWrapper {

        private final Response connectorResponse;
        private TimedAnswer answer;

        Timed(HttpServletResponse response, Response connectorResponse) {
            super(response);
            this.connectorResponse = connectorResponse;
        }

        @Override
        public ServletOutputStream getOutputStream() throws IOException {
            ServletOutputStream out = super.getOutputStream();
            if (answer == null) {
                answer = new TimedAnswer(out, connectorResponse, timeoutNanos);
            }
            return answer;
        }
    }

    /** The connector's output stream, each piece of a write preceded by the time check and timed itself. */
    static final class TimedAnswer extends ServletOutputStream {

        private final ServletOutputStream out;
        private final Response connectorResponse;
        private final long timeoutNanos;
        private long deadline;
        private boolean started;
        private boolean slow;

        TimedAnswer(ServletOutputStream out, Response connectorResponse, long timeoutNanos) {
            this.out = out;
            this.connectorResponse = connectorResponse;
            this.timeoutNanos = timeoutNanos;
        }

        @Override
        public void write(int b) throws IOException {
            long start = checkTime();
            out.write(b);
            timed(start);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            int end = offset + length;
            for (int from = offset; from < end; from += PIECE) {
                long start = checkTime();
                out.write(bytes, from, Math.min(PIECE, end - from));
                timed(start);
            }
        }

        @Override
        public void flush() throws IOException {
            long start = checkTime();
            out.flush();
            timed(start);
        }

        @Override
        public void close() throws IOException {
            long start = checkTime();
            out.close();
            timed(start);
        }

        private long checkTime() throws IOException {
            long now = System.nanoTime();
            if (!started) {
                started = true;
                deadline = now + timeoutNanos;
            } else if (now - deadline > 0) {
                // Nothing more is written on this connection, and it is closed once the request ends.
                connectorResponse.getCoyoteResponse().action(ActionCode.CLOSE_NOW, null);
                throw new ClientAbortException("the answer was not taken within " + timeoutNanos / 1_000_000L
                        + " ms (gbm.http.answer-write-timeout)");
            }
            return now;
        }

        /** A write that waited on the caller: the connection serves no further request once this answer is done. */
        private void timed(long start) {
            if (!slow && System.nanoTime() - start >= SLOW_MILLIS * 1_000_000L) {
                slow = true;
                connectorResponse.getRequest().getCoyoteRequest().action(ActionCode.DISABLE_SWALLOW_INPUT, null);
            }
        }

        @Override
        public boolean isReady() {
            return out.isReady();
        }

        @Override
        public void setWriteListener(WriteListener listener) {
            out.setWriteListener(listener);
        }
    }
}
