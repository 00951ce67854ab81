package com.groupbuy.market.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * A test class's own XXL-Job executor endpoint: on, on a free port of its own, with the class's access token ({@link
 * #register}, from the class's {@code @DynamicPropertySource}); and requests to it written raw on a socket, from a
 * local address of the test's choosing (the executor's token limit counts per address; 127.0.0.x are all loopback on
 * Linux).
 *
 * @param token the access token the executor is started with ({@code xxl.job.admin.accessToken})
 * @param port the executor's port ({@code xxl.job.executor.port})
 */
public record ExecutorEndpoint(String token, int port) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The executor on a free port, with {@code token}. */
    public static ExecutorEndpoint withToken(String token) {
        return new ExecutorEndpoint(token, AppProcess.freePort());
    }

    /** For a {@code @DynamicPropertySource}: the executor on, on {@link #port}, with {@link #token}. */
    public void register(DynamicPropertyRegistry registry) {
        registry.add("xxl.job.executor.enabled", () -> "true");
        registry.add("xxl.job.executor.port", this::port);
        registry.add("xxl.job.admin.accessToken", this::token);
    }

    /** A whole POST of {@code body} to {@code path}, {@code token} its access token; the connection closed after. */
    public static byte[] request(String path, String token, String body) {
        byte[] content = body.getBytes(StandardCharsets.UTF_8);
        byte[] head = ("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                        + "XXL-JOB-ACCESS-TOKEN: " + token + "\r\nContent-Length: " + content.length
                        + "\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1);
        byte[] all = new byte[head.length + content.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(content, 0, all, head.length, content.length);
        return all;
    }

    /** The body of the answer on {@code socket}, read to its end (the connection closed by the executor). */
    public static String body(Socket socket) throws IOException {
        ByteArrayOutputStream answer = new ByteArrayOutputStream();
        socket.getInputStream().transferTo(answer);
        String text = answer.toString(StandardCharsets.UTF_8);
        return text.substring(text.indexOf("\r\n\r\n") + 4);
    }

    /** {@link #postRaw}'s answer, read as JSON. */
    public JsonNode post(String from, String path, String token, String body) throws IOException {
        return JSON.readTree(postRaw(from, path, token, body));
    }

    /** The answer's body to a POST sent from the local address {@code from}. */
    public String postRaw(String from, String path, String token, String body) throws IOException {
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(from, 0));
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            out.write(request(path, token, body));
            out.flush();
            return body(socket);
        }
    }
}
