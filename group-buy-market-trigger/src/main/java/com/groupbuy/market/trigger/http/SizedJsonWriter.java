package com.groupbuy.market.trigger.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.reflect.Type;
import java.util.Arrays;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpOutputMessage;
import org.springframework.http.converter.json.MappingJackson2HttpMessageConverter;
import org.springframework.lang.Nullable;

/**
 * Spring's Jackson converter, writing every answer of at most {@link #MAX_SIZED_BYTES} with {@code Content-Length}
 * (#19). The converter flushes the body once it is written, which commits the response before Tomcat knows its size:
 * every answer then went out chunked, its last chunk a socket write of its own. Here the JSON is gathered first, up to
 * that many bytes, and its length set before the headers leave; the body is the same bytes. A longer answer is passed
 * on as it is written, chunked as before, so no more than that is ever held per answer. The lean trade path
 * ({@link TradeEdgeFilter}) frames its answers by the same rule ({@link #frame}).
 */
public class SizedJsonWriter extends MappingJackson2HttpMessageConverter {

    /** Tomcat's own output buffer: what it would have sent with a length too, had nothing flushed it. */
    public static final int MAX_SIZED_BYTES = 8 * 1024;

    public SizedJsonWriter(ObjectMapper objectMapper) {
        super(objectMapper);
    }

    /** The lean path's rule: an answer of {@code length} bytes about to be written whole gets its length, if small. */
    public static void frame(HttpServletResponse response, int length) {
        if (length <= MAX_SIZED_BYTES) {
            response.setContentLength(length);
        }
    }

    @Override
    protected void writeInternal(Object object, @Nullable Type type, HttpOutputMessage outputMessage)
            throws IOException {
        HttpHeaders headers = outputMessage.getHeaders();
        if (headers.getContentLength() >= 0 || headers.containsKey(HttpHeaders.TRANSFER_ENCODING)) {
            super.writeInternal(object, type, outputMessage);
            return;
        }
        Gathered gathered = new Gathered(outputMessage);
        super.writeInternal(object, type, gathered);
        gathered.finish();
    }

    /**
     * The answer's body: held until it passes {@link #MAX_SIZED_BYTES}, then (what was held first) the real body's.
     * The converter's own flush of its generator does nothing while the bytes are held.
     */
    private static final class Gathered extends OutputStream implements HttpOutputMessage {

        private final HttpOutputMessage target;
        private byte[] held = new byte[512];
        private int count;
        private OutputStream passed;

        Gathered(HttpOutputMessage target) {
            this.target = target;
        }

        @Override
        public OutputStream getBody() {
            return this;
        }

        @Override
        public HttpHeaders getHeaders() {
            return target.getHeaders();
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            if (passed == null && count + length > MAX_SIZED_BYTES) {
                passed = target.getBody();
                passed.write(held, 0, count);
                held = null;
            }
            if (passed != null) {
                passed.write(bytes, offset, length);
                return;
            }
            if (count + length > held.length) {
                held = Arrays.copyOf(held, Math.min(MAX_SIZED_BYTES, Math.max(held.length * 2, count + length)));
            }
            System.arraycopy(bytes, offset, held, count, length);
            count += length;
        }

        @Override
        public void flush() throws IOException {
            if (passed != null) {
                passed.flush();
            }
        }

        /** What was held, with its length; the converter's flush that follows sends it. */
        void finish() throws IOException {
            if (passed == null) {
                target.getHeaders().setContentLength(count);
                target.getBody().write(held, 0, count);
            }
        }

        @Override
        public void close() {
            // The converter writes through a non-closing view; nothing to close here.
        }
    }
}
