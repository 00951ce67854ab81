package com.groupbuy.market.support;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A Redis client's commands read one by one on their way through a {@link TcpProxy} ({@link #relay}): as RESP arrays
 * of bulk strings (what Redisson sends), inline ones passed as they are. {@link TcpProxy#toRedisWithClockShifted}
 * moves each clock reading in them: a bulk string of 13 digits within ten minutes of this JVM's clock is taken for a
 * reading in epoch milliseconds.
 */
final class RedisClock {

    private static final long NEAR_NOW_MS = Duration.ofMinutes(10).toMillis();

    private RedisClock() {}

    /** Each clock reading among a command's arguments moved, in place. */
    static void shift(List<byte[]> command, long shiftMs) {
        command.replaceAll(value -> moved(value, shiftMs));
    }

    /**
     * A client's commands passed on one by one until it closes, each first given to {@code each} (which may change its
     * arguments in place, or act before it is sent); inline commands are passed on as they are.
     */
    static void relay(InputStream in, OutputStream out, Consumer<List<byte[]>> each) throws IOException {
        int first;
        while ((first = in.read()) >= 0) {
            if (first != '*') {
                out.write(first);
                out.write(line(in));
            } else {
                long args = Long.parseLong(text(line(in)));
                List<byte[]> command = new ArrayList<>();
                for (long i = 0; i < args; i++) {
                    if (in.read() != '$') {
                        throw new IOException("not a bulk string");
                    }
                    int length = Integer.parseInt(text(line(in)));
                    byte[] value = in.readNBytes(length);
                    if (value.length < length || in.readNBytes(2).length < 2) {
                        throw new EOFException();
                    }
                    command.add(value);
                }
                each.accept(command);
                out.write(("*" + command.size() + "\r\n").getBytes(StandardCharsets.US_ASCII));
                for (byte[] sent : command) {
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
