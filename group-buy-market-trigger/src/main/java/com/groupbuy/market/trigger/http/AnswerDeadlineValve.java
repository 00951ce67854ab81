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
 * (SlowBodyIT). Each write is cut into pieces of at most {@link #PIECE} bytes and each piece checks the time; once it
 * is up the connection is closed without writing more ({@link ClientAbortException}: to Spring, a caller gone). An
 * answer one of whose pieces waited on the caller for {@link #SLOW_MILLIS} or longer hands its deadline on to the next
 * request this thread serves from the same connection (a pipelined one): a caller pipelining requests cannot hold the
 * thread for one bound per answer. (Telling Tomcat to close the connection after the answer instead marks a committed
 * answer as failed, and Tomcat then appends its error page.)
 */
public class AnswerDeadlineValve extends ValveBase {

    /** The most written at once between two looks at the clock: about one of Tomcat's output buffers. */
    static final int PIECE = 8192;
    /** A write that waited this long was waiting for the caller to read (a partner's answer never does). */
    static final long SLOW_MILLIS = 1000;

    /** The deadline a slow answer left for the next request of its connection served on this thread. */
    private static final ThreadLocal<Carried> CARRIED = new ThreadLocal<>();

    private final long timeoutNanos;

    public AnswerDeadlineValve(long timeoutMillis) {
        super(true);
        this.timeoutNanos = timeoutMillis * 1_000_000L;
    }

    @Override
    public void invoke(Request request, Response response) throws IOException, ServletException {
        Carried carried = CARRIED.get();
        CARRIED.remove();
        Long inherited =
                carried != null && carried.connection().equals(connection(request)) ? carried.deadline() : null;
        Timed timed = new Timed(response.getResponse(), response, inherited);
        response.setResponse(timed);
        try {
            getNext().invoke(request, response);
        } finally {
            if (timed.answer != null && timed.answer.slow) {
                CARRIED.set(new Carried(connection(request), timed.answer.deadline));
            }
        }
    }

    private static String connection(Request request) {
        return request.getRemoteAddr() + " " + request.getRemotePort();
    }

    private record Carried(String connection, long deadline) {}

    private final class Timed extends HttpServletResponseWrapper {

        private final Response connectorResponse;
        private final Long inherited;
        private TimedAnswer answer;

        Timed(HttpServletResponse response, Response connectorResponse, Long inherited) {
            super(response);
            this.connectorResponse = connectorResponse;
            this.inherited = inherited;
        }

        @Override
        public ServletOutputStream getOutputStream() throws IOException {
            ServletOutputStream out = super.getOutputStream();
            if (answer == null) {
                answer = new TimedAnswer(out, connectorResponse, timeoutNanos, inherited);
            }
            return answer;
        }
    }

    /** The connector's output stream, each piece of a write preceded by the time check and timed itself. */
    static final class TimedAnswer extends ServletOutputStream {

        private final ServletOutputStream out;
        private final Response connectorResponse;
        private final long timeoutNanos;
        private final Long inherited;
        private long deadline;
        private boolean started;
        private boolean slow;

        TimedAnswer(ServletOutputStream out, Response connectorResponse, long timeoutNanos, Long inherited) {
            this.out = out;
            this.connectorResponse = connectorResponse;
            this.timeoutNanos = timeoutNanos;
            this.inherited = inherited;
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

        /** Sends what was written already: never cut, or an answer written in time could lose its end to a busy CPU. */
        @Override
        public void flush() throws IOException {
            long start = System.nanoTime();
            out.flush();
            timed(start);
        }

        @Override
        public void close() throws IOException {
            long start = System.nanoTime();
            out.close();
            timed(start);
        }

        private long checkTime() throws IOException {
            long now = System.nanoTime();
            if (!started) {
                started = true;
                deadline = inherited != null ? inherited : now + timeoutNanos;
            } else if (now - deadline > 0) {
                // Nothing more is written on this connection, and it is closed once the request ends.
                ClientAbortException cut = new ClientAbortException("the answer was not taken within "
                        + timeoutNanos / 1_000_000L + " ms (gbm.http.answer-write-timeout)");
                // Given an IOException, Tomcat leaves the answer's status as it was (a null makes it a 500).
                connectorResponse.getCoyoteResponse().action(ActionCode.CLOSE_NOW, cut);
                throw cut;
            }
            return now;
        }

        /** A write that waited on the caller: its connection's next answer keeps this one's deadline. */
        private void timed(long start) {
            if (!slow && started && System.nanoTime() - start >= SLOW_MILLIS * 1_000_000L) {
                slow = true;
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
