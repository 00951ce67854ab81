package com.groupbuy.market.config.xxljob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.groupbuy.market.trigger.http.admin.AdminAuthLimit;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.SimpleDateFormat;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The executor endpoint as an attacker on the network or a second instance meets it: scripts refused, only the
 * configured address listens, a port in use stops the start.
 */
public class BeanOnlyXxlJobExecutorTest {

    private static final String TOKEN = "unit-test-token-0123456789";

    /**
     * For the tests here, which are not about guessing: counts nothing, refuses nothing. The limit itself is tested
     * against the real Redis with the whole service ({@code ExecutorTokenGuessIT}).
     */
    static final AdminAuthLimit COUNTS_NOTHING = new AdminAuthLimit() {
        @Override
        public Refusal refusal(String client) {
            return null;
        }

        @Override
        public void failed(String client) {}

        @Override
        public void succeeded(String client) {}
    };

    @TempDir
    Path dir;

    private final List<BeanOnlyXxlJobExecutor> started = new ArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void stop() {
        started.forEach(BeanOnlyXxlJobExecutor::destroy);
    }

    @Test
    void everyGlueTypeButBeanIsRefusedAndNothingRuns() throws Exception {
        BeanOnlyXxlJobExecutor executor = start("127.0.0.1", 0);
        List<String> glueTypes = List.of(
                "GLUE_SHELL",
                "GLUE_PYTHON",
                "GLUE_GROOVY",
                "GLUE_NODEJS",
                "GLUE_PHP",
                "GLUE_POWERSHELL",
                "GLUE_PYTHON2");
        for (String glueType : glueTypes) {
            Path proof = dir.resolve("ran-" + glueType);
            String source =
                    glueType.equals("GLUE_GROOVY") ? "new File('" + proof + "').createNewFile()" : "touch " + proof;

            String answer = run(executor, TOKEN, glueType, source);

            assertThat(answer).as(glueType).contains("\"code\":500").contains("refused");
        }
        // A script accepted would have run by now (the library runs it on a job thread). One wait for all seven
        // sent: each waited alone before (10 s of the unit tests).
        Thread.sleep(1500);
        for (String glueType : glueTypes) {
            assertThat(dir.resolve("ran-" + glueType)).as(glueType).doesNotExist();
        }
    }

    @Test
    void aBeanJobWithTheRightTokenIsTakenAndAWrongTokenIsNot() throws Exception {
        BeanOnlyXxlJobExecutor executor = start("127.0.0.1", 0);

        assertThat(post(executor, "/beat", TOKEN, "")).contains("\"code\":200");
        assertThat(post(executor, "/beat", "wrong", ""))
                .contains("\"code\":500")
                .contains("token");
        assertThat(post(executor, "/beat", null, "")).contains("\"code\":500").contains("token");
        // No such handler here, but the request got past the token and glue checks to the library's lookup.
        assertThat(run(executor, TOKEN, "BEAN", "")).contains("job handler [nope] not found");
    }

    /**
     * {@code /log} names a day folder and a log id; the library makes the day folder of whatever date it is sent
     * before looking for the file, so every request with another date left one more folder behind (far-future ones
     * never cleaned). A read must not write: unknown days answer "not exists" and the log folder is unchanged.
     */
    @ParameterizedTest
    @ValueSource(longs = {32503680000000L, -1L, Long.MIN_VALUE, Long.MAX_VALUE, 0L})
    void aLogReadOfAnyDayCreatesNothing(long logDateTim) throws Exception {
        BeanOnlyXxlJobExecutor executor = start("127.0.0.1", 0);
        Path logs = dir.resolve("logs");
        List<Path> before = listing(logs);

        String answer =
                post(executor, "/log", TOKEN, "{\"logDateTim\":" + logDateTim + ",\"logId\":-7,\"fromLineNum\":1}");

        assertThat(answer).contains("\"code\":200").contains("not exists").doesNotContain("Exception");
        assertThat(listing(logs)).isEqualTo(before);
    }

    @Test
    void aLogReadFindsTheLogOfARunAndNothingOutsideTheLogFolder() throws Exception {
        BeanOnlyXxlJobExecutor executor = start("127.0.0.1", 0);
        long now = System.currentTimeMillis();
        String day = new SimpleDateFormat("yyyy-MM-dd").format(new Date(now));
        Path dayDir = Files.createDirectories(dir.resolve("logs").resolve(day));
        Files.writeString(dayDir.resolve("42.log"), "line one\n");

        assertThat(post(executor, "/log", TOKEN, "{\"logDateTim\":" + now + ",\"logId\":42,\"fromLineNum\":1}"))
                .contains("\"code\":200")
                .contains("line one");
        assertThat(post(executor, "/log", TOKEN, "{\"logDateTim\":\"../../etc\",\"logId\":\"passwd\"}"))
                .contains("\"code\":500")
                .doesNotContain("root:");
    }

    /**
     * Anyone who reaches the port, token or not, may open connections and never finish a request. The endpoint's
     * two threads each waited on one such connection for ever, and every later call (the console's) queued behind
     * them: the executor was gone for as long as the peer kept the sockets open.
     */
    @Test
    void connectionsThatNeverFinishARequestDoNotLockTheConsoleOut() throws Exception {
        BeanOnlyXxlJobExecutor executor = start("127.0.0.1", 0);
        int port = executor.boundAddress().getPort();
        List<Socket> stalled = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                Socket socket = new Socket("127.0.0.1", port);
                socket.getOutputStream().write("POST /beat HTTP/1.1\r\nHost: 127.0.0.1\r\n".getBytes());
                socket.getOutputStream().flush();
                stalled.add(socket);
            }
            Thread.sleep(300);
            HttpRequest beat = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/beat"))
                    .header("XXL-JOB-ACCESS-TOKEN", TOKEN)
                    .timeout(Duration.ofSeconds(20))
                    .POST(HttpRequest.BodyPublishers.ofString(""))
                    .build();

            assertThat(http.send(beat, HttpResponse.BodyHandlers.ofString()).body())
                    .contains("\"code\":200");
        } finally {
            for (Socket socket : stalled) {
                socket.close();
            }
        }
    }

    /** A malformed body is refused by what it is, without the parser's exception classes and messages. */
    @ParameterizedTest
    @ValueSource(strings = {"/run", "/kill", "/log", "/idleBeat"})
    void aMalformedBodyIsRefusedWithoutTheParsersInsides(String path) throws Exception {
        BeanOnlyXxlJobExecutor executor = start("127.0.0.1", 0);

        for (String body : List.of(
                "{", "\"x\"", "{\"jobId\":\"../../x\",\"logId\":[1]}", "{\"jobId\":1e999,\"logDateTim\":1e999}")) {
            assertThat(post(executor, path, TOKEN, body))
                    .as(path + " " + body)
                    .contains("\"code\":500")
                    .contains("invalid request body")
                    .doesNotContain("Exception")
                    .doesNotContain("gson")
                    .doesNotContain("line 1");
        }
    }

    /** Guards the Netty endpoint's body limit: over 1 MiB is refused in our JSON and nothing runs. */
    @Test
    void aBodyOverOneMebibyteIsRefusedInOurAnswer() throws Exception {
        BeanOnlyXxlJobExecutor executor = start("127.0.0.1", 0);
        String params = "x".repeat((1 << 20) + 10);

        assertThat(post(executor, "/run", TOKEN, "{\"jobId\":1,\"executorParams\":\"" + params + "\"}"))
                .contains("\"code\":500")
                .contains("over 1048576 bytes");
        assertThat(post(executor, "/beat", TOKEN, "")).contains("\"code\":200");
    }

    /**
     * The refusal of a body over 1 MiB reaches a caller still sending that body: the server closed the connection as
     * soon as it answered, and the caller's further writes then reset it, losing the answer (CI, 2026-12-02: "HTTP/1.1
     * header parser received no bytes"). A caller sending in pieces makes it certain. Proved to fail on the code
     * before: the write of a later piece failed (broken pipe / connection reset).
     */
    @Test
    void theRefusalOfABodyOverOneMebibyteReachesACallerStillSendingIt() throws Exception {
        BeanOnlyXxlJobExecutor executor = start("127.0.0.1", 0);
        int length = (1 << 20) + (1 << 19);
        try (Socket socket = new Socket("127.0.0.1", executor.boundAddress().getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /run HTTP/1.1\r\nHost: 127.0.0.1\r\nXXL-JOB-ACCESS-TOKEN: " + TOKEN
                            + "\r\nContent-Type: application/json\r\nContent-Length: " + length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            byte[] piece = new byte[1 << 16];
            Arrays.fill(piece, (byte) 'x');
            for (int sent = 0; sent < length; sent += piece.length) {
                Thread.sleep(20); // the answer is written meanwhile
                out.write(piece, 0, Math.min(piece.length, length - sent));
                out.flush();
            }
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(answer)
                    .startsWith("HTTP/1.1 200")
                    .contains("\"code\":500")
                    .contains("over 1048576 bytes");
        }
        assertThat(post(executor, "/beat", TOKEN, "")).contains("\"code\":200");
    }

    @Test
    void listensOnTheConfiguredLoopbackAddressOnly() throws Exception {
        BeanOnlyXxlJobExecutor executor = start("127.0.0.1", 0);
        int port = executor.boundAddress().getPort();

        assertThat(executor.boundAddress().getAddress().isLoopbackAddress()).isTrue();
        try (Socket loopback = new Socket("127.0.0.1", port)) {
            assertThat(loopback.isConnected()).isTrue();
        }
        Optional<InetAddress> external = nonLoopbackAddress();
        Assumptions.assumeTrue(external.isPresent(), "this machine has no non-loopback address to try");
        assertThatThrownBy(() -> {
                    try (Socket socket = new Socket()) {
                        socket.connect(new InetSocketAddress(external.get(), port), 2000);
                    }
                })
                .isInstanceOf(ConnectException.class);
    }

    @Test
    void aSecondExecutorOnTheSamePortRefusesToStartAndSaysWhy() {
        BeanOnlyXxlJobExecutor first = start("127.0.0.1", 0);
        int port = first.boundAddress().getPort();

        assertThatThrownBy(() -> start("127.0.0.1", port))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("127.0.0.1:" + port)
                .hasMessageContaining("Each instance needs its own executor address");
    }

    @Test
    void aPortHeldByAnotherProcessOnAnyAddressStopsTheStart() throws IOException {
        try (ServerSocket wildcard = new ServerSocket(0)) {
            assertThatThrownBy(() -> start("127.0.0.1", wildcard.getLocalPort()))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("xxl.job.executor.port");
        }
    }

    @Test
    void portZeroTakesAFreePortAndRegistersIt() {
        BeanOnlyXxlJobExecutor executor = start("127.0.0.1", 0);

        assertThat(executor.boundAddress().getPort()).isPositive();
        assertThat(executor.registration().status().consoleConfigured()).isFalse();
        assertThat(executor.drivesJobs()).isFalse();
    }

    private BeanOnlyXxlJobExecutor start(String ip, int port) {
        BeanOnlyXxlJobExecutor executor = new BeanOnlyXxlJobExecutor(
                new ExecutorSettings(
                        "",
                        TOKEN,
                        3,
                        "unit-executor",
                        "",
                        ip,
                        port,
                        dir.resolve("logs").toString(),
                        30,
                        Duration.ofSeconds(30),
                        ExecutorHttpServer.DEFAULT_MAX_CONNECTIONS),
                COUNTS_NOTHING);
        try {
            executor.start();
        } catch (RuntimeException e) {
            executor.destroy();
            throw e;
        }
        started.add(executor);
        return executor;
    }

    private String run(BeanOnlyXxlJobExecutor executor, String token, String glueType, String source) throws Exception {
        String body = "{\"jobId\":" + (int) (Math.random() * 1_000_000)
                + ",\"executorHandler\":\"nope\",\"executorParams\":\"\","
                + "\"executorBlockStrategy\":\"SERIAL_EXECUTION\",\"executorTimeout\":0,\"logId\":" + System.nanoTime()
                + ",\"logDateTime\":" + System.currentTimeMillis() + ",\"glueType\":\"" + glueType
                + "\",\"glueSource\":\""
                + source.replace("\\", "\\\\").replace("\"", "\\\"") + "\",\"glueUpdatetime\":"
                + System.currentTimeMillis()
                + ",\"broadcastIndex\":0,\"broadcastTotal\":1}";
        return post(executor, "/run", token, body);
    }

    private String post(BeanOnlyXxlJobExecutor executor, String path, String token, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + executor.boundAddress().getPort() + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("XXL-JOB-ACCESS-TOKEN", token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private static List<Path> listing(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            return paths.sorted().toList();
        }
    }

    public static Optional<InetAddress> nonLoopbackAddress() throws IOException {
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!nic.isUp() || nic.isLoopback()) {
                continue;
            }
            for (InetAddress address : Collections.list(nic.getInetAddresses())) {
                if (address instanceof Inet4Address && !address.isLoopbackAddress()) {
                    return Optional.of(address);
                }
            }
        }
        return Optional.empty();
    }
}
