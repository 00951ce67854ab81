package com.groupbuy.market.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One plain connection of the test's own to a {@link PrivateRedis}, opened before the test lowers {@code maxclients}:
 * a connection Redis already took is never refused, so the test still reads INFO and sets CONFIG while the app's
 * new connections are ({@code redis-cli} would be refused a connection then).
 */
public final class RedisAdminLink implements AutoCloseable {

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private RedisAdminLink(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    public static RedisAdminLink open(int port) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 1_000);
        socket.setSoTimeout(5_000);
        return new RedisAdminLink(socket);
    }

    /** The reply to one command: a status, an error (with its "-"), an integer or a bulk string, as text. */
    public synchronized String command(String... parts) throws IOException {
        out.write(resp(parts));
        out.flush();
        String line = readLine();
        if (line.startsWith("$")) {
            int length = Integer.parseInt(line.substring(1));
            if (length < 0) {
                return null;
            }
            byte[] bulk = in.readNBytes(length + 2);
            return new String(bulk, 0, length, StandardCharsets.UTF_8);
        }
        return line.startsWith("-") ? line : line.substring(1);
    }

    /** A number of {@code INFO <section>}, say {@code connected_clients} of "clients". */
    public long info(String section, String field) throws IOException {
        Matcher value =
                Pattern.compile("(?m)^" + Pattern.quote(field) + ":(\\d+)").matcher(command("INFO", section));
        if (!value.find()) {
            throw new IllegalStateException("no " + field + " in INFO " + section);
        }
        return Long.parseLong(value.group(1));
    }

    /** A command as Redis's protocol sends it: an array of bulk strings. */
    static byte[] resp(String... parts) {
        StringBuilder command = new StringBuilder("*").append(parts.length).append("\r\n");
        for (String part : parts) {
            command.append('$')
                    .append(part.getBytes(StandardCharsets.UTF_8).length)
                    .append("\r\n")
                    .append(part)
                    .append("\r\n");
        }
        return command.toString().getBytes(StandardCharsets.UTF_8);
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != '\r') {
            if (c == -1) {
                throw new IOException("Redis closed the admin connection");
            }
            line.write(c);
        }
        in.read(); // '\n'
        return line.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
