package com.groupbuy.market.support;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A Redis client's commands passed on with each clock reading moved ({@link TcpProxy#toRedisWithClockShifted}):
 * commands are read as RESP arrays of bulk strings (what Redisson sends), inline ones passed as they are; a bulk
 * string of 13 digits within ten minutes of this JVM's clock is taken for a reading in epoch milliseconds.
 */
final class RedisClock {

    private static final long NEAR_NOW_MS = Duration.ofMinutes(10).toMillis();

    private RedisClock() {}

    /** Until the client closes. */
    static void shift(InputStream in, OutputStream out, long shiftMs) throws IOException {
        int first;
        while ((first = in.read()) >= 0) {
            if (first != '*') {
                out.write(first);
                out.write(line(in));
            } else {
                long args = Long.parseLong(text(line(in)));
                out.write(("*" + args + "\r\n").getBytes(StandardCharsets.US_ASCII));
                for (long i = 0; i < args; i++) {
                    if (in.read() != '$') {
                        throw new IOException("not a bulk string");
                    }
                    int length = Integer.parseInt(text(line(in)));
                    byte[] value = in.readNBytes(length);
                    if (value.length < length || in.readNBytes(2).length < 2) {
                        throw new EOFException();
                    }
                    byte[] sent = moved(value, shiftMs);
                    out.write(("$" + sent.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(sent);
                    out.write('\r');
                    out.write('\n');
                }
            }
            if (in.available() == 0) {
                out.flush();
            }
        }
    }

    private static byte[] moved(byte[] value, long shiftMs) {
        if (value.length != 13) {
            return value;
        }
        for (byte c : value) {
            if (c < '0' || c > '9') {
                return value;
            }
        }
        long millis = Long.parseLong(new String(value, StandardCharsets.US_ASCII));
        if (Math.abs(millis - System.currentTimeMillis()) > NEAR_NOW_MS) {
            return value;
        }
        return Long.toString(millis + shiftMs).getBytes(StandardCharsets.US_ASCII);
    }

    /** The rest of a line, its CR LF included. */
    private static byte[] line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0) {
            line.write(c);
            if (c == '\n') {
                return line.toByteArray();
            }
        }
        throw new EOFException();
    }

    private static String text(byte[] line) {
        return new String(line, 0, line.length - 2, StandardCharsets.US_ASCII);
    }
}
