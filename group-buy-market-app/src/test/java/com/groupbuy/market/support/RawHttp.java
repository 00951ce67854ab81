package com.groupbuy.market.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket, for requests no well-behaved client would send: invalid paths, oversized or broken
 * headers, any method or content type. One request per connection ({@code Connection: close}); chunked answers are
 * decoded.
 */
public final class RawHttp {

    private RawHttp() {}

    public record Answer(int status, Map<String, String> headers, String body) {}

    /** Sends a request built from its parts; {@code Content-Length} is set from the body. */
    public static Answer send(int port, String method, String target, Map<String, String> headers, byte[] body)
            throws IOException {
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        request.writeBytes((method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
        for (Map.Entry<String, String> header : headers.entrySet()) {
            request.writeBytes((header.getKey() + ": " + header.getValue() + "\r\n").getBytes(StandardCharsets.UTF_8));
        }
        request.writeBytes(("Content-Length: " + body.length + "\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
        request.writeBytes(body);
        return sendRaw(port, request.toByteArray());
    }

    /**
     * Sends a request as a keep-alive client does (no {@code Connection: close}) and reads exactly one answer by its
     * framing: {@code Content-Length} bytes, or chunks up to the last one (decoded). The connection is dropped after.
     */
    public static Answer sendKeepingAlive(
            int port, String method, String target, Map<String, String> headers, byte[] body) throws IOException {
        StringBuilder head = new StringBuilder(method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n");
        headers.forEach(
                (name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        head.append("Content-Length: ").append(body.length).append("\r\n\r\n");
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(15_000);
            OutputStream out = socket.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.UTF_8));
            out.write(body);
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            answer.writeBytes(readHead(in));
            Map<String, String> answerHeaders = parse(answer.toByteArray()).headers();
            String length = answerHeaders.get("content-length");
            if (length != null) {
                answer.writeBytes(in.readNBytes(Integer.parseInt(length)));
            } else if ("chunked".equalsIgnoreCase(answerHeaders.get("transfer-encoding"))) {
                answer.writeBytes(readChunks(in));
            }
            return parse(answer.toByteArray());
        }
    }

    /** Chunks as they came, up to and with the last chunk and its blank line (no trailers are sent to us). */
    private static byte[] readChunks(InputStream in) throws IOException {
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        while (true) {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            int b;
            while ((b = in.read()) != '\n') {
                if (b < 0) {
                    throw new AssertionError("the connection closed inside a chunked body");
                }
                line.write(b);
            }
            raw.writeBytes(line.toByteArray());
            raw.write('\n');
            int size = Integer.parseInt(
                    line.toString(StandardCharsets.ISO_8859_1).split(";")[0].trim(), 16);
            raw.writeBytes(in.readNBytes(size + 2));
            if (size == 0) {
                return raw.toByteArray();
            }
        }
    }

    /** What a client sending {@code Expect: 100-continue} got: whether a 100 came first, then the final answer. */
    public record Continued(boolean continued, Answer answer) {}

    /**
     * Sends a request's head with {@code Expect: 100-continue} and the {@code Content-Length} given, then waits for the
     * server's first answer as curl does: the body goes only after a {@code 100 Continue}; a final answer instead is
     * read to the end with no body sent (the server must close the connection then: nothing says whether the body
     * will follow).
     */
    public static Continued sendExpectingContinue(
            int port, String method, String target, Map<String, String> headers, long contentLength, byte[] body)
            throws IOException {
        StringBuilder head = new StringBuilder(method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n");
        headers.forEach(
                (name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        head.append("Expect: 100-continue\r\nContent-Length: ")
                .append(contentLength)
                .append("\r\nConnection: close\r\n\r\n");
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(5_000);
            OutputStream out = socket.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] first = readHead(in);
            boolean continued = new String(first, StandardCharsets.ISO_8859_1).startsWith("HTTP/1.1 100 ");
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            if (continued) {
                out.write(body);
                out.flush();
            } else {
                answer.writeBytes(first);
            }
            answer.writeBytes(in.readAllBytes());
            return new Continued(continued, parse(answer.toByteArray()));
        }
    }

    /** An answer's head, up to and with its blank line. */
    private static byte[] readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < end.length) {
            int b = in.read();
            if (b < 0) {
                throw new AssertionError("the connection closed before an answer's head: " + head);
            }
            head.write(b);
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toByteArray();
    }

    /** Sends the bytes as they are and reads the answer until the server closes the connection. */
    public static Answer sendRaw(int port, byte[] request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(15_000);
            OutputStream out = socket.getOutputStream();
            out.write(request);
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] answer = in.readAllBytes();
            return parse(answer);
        }
    }

    private static Answer parse(byte[] answer) {
        String text = new String(answer, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        if (end < 0) {
            throw new AssertionError("no HTTP answer head in " + text.length() + " bytes: " + text);
        }
        String[] lines = text.substring(0, end).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.put(
                    lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                    lines[i].substring(colon + 1).trim());
        }
        byte[] raw = java.util.Arrays.copyOfRange(answer, end + 4, answer.length);
        byte[] body = "chunked".equalsIgnoreCase(headers.get("transfer-encoding")) ? dechunk(raw) : raw;
        return new Answer(status, headers, new String(body, StandardCharsets.UTF_8));
    }

    private static byte[] dechunk(byte[] raw) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int at = 0;
        while (at < raw.length) {
            int lineEnd = indexOf(raw, at);
            int size = Integer.parseInt(
                    new String(raw, at, lineEnd - at, StandardCharsets.ISO_8859_1).split(";")[0].trim(), 16);
            if (size == 0) {
                break;
            }
            out.write(raw, lineEnd + 2, size);
            at = lineEnd + 2 + size + 2;
        }
        return out.toByteArray();
    }

    private static int indexOf(byte[] raw, int from) {
        for (int i = from; i + 1 < raw.length; i++) {
            if (raw[i] == '\r' && raw[i + 1] == '\n') {
                return i;
            }
        }
        throw new AssertionError("broken chunked body");
    }
}
