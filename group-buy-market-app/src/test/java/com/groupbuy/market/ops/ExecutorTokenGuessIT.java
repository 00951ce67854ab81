package com.groupbuy.market.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.groupbuy.market.infrastructure.redis.RedisKeys;
import com.groupbuy.market.support.ConcurrentBurst;
import com.groupbuy.market.support.ExecutorEndpoint;
import com.groupbuy.market.support.IntegrationTest;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetric;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.SimpleDateFormat;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.redisson.api.RedissonClient;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * The XXL-Job executor's endpoint as someone who reaches its port without the token meets it. On main a caller could
 * guess {@code XXL-JOB-ACCESS-TOKEN} without limit (200 wrong tokens, then the right one answered 200), had up to
 * 1 MiB of each request's body kept before its token was looked at, and {@code /log} answered a whole log file in
 * one answer however large. Now wrong tokens are counted like the admin token's (per address and over all addresses,
 * in Redis, counters of their own), bodies of requests without the right token are dropped as they arrive, and
 * {@code /log} answers pages. The answers stay the library's {@code ReturnT} the XXL-Job console reads.
 */
@IntegrationTest
@TestPropertySource(
        properties = {
            "gbm.console.login.max-failures=10",
            "gbm.console.login.max-failures-all-addresses=40",
            "gbm.console.login.window=10m",
            "gbm.xxl-job.max-connections=150"
        })
class ExecutorTokenGuessIT {

    private static final ExecutorEndpoint EXECUTOR = ExecutorEndpoint.withToken("it-executor-guess-token-0123");
    private static final String TOKEN = EXECUTOR.token();
    private static final int EXECUTOR_PORT = EXECUTOR.port();
    private static final Path LOGS = Path.of(System.getProperty("java.io.tmpdir"), "gbm-xxl-job-guess-it");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String WRONG = "The access token is wrong.";
    private static final String TOO_MANY = "rate limited: 10 wrong access tokens from this address, try again in N s";

    @DynamicPropertySource
    static void executor(DynamicPropertyRegistry registry) {
        EXECUTOR.register(registry);
        registry.add("xxl.job.executor.logpath", LOGS::toString);
    }

    @Autowired
    RedissonClient redisson;

    @Autowired
    RedisKeys keys;

    @AfterEach
    void forgetFailures() {
        redisson.getKeys().deleteByPattern(keys.key("executor", "*"));
        redisson.getKeys().deleteByPattern(keys.key("console", "*"));
    }

    @Test
    void twoHundredWrongTokensFromOneAddressAreCutOffAndTheRightTokenIsRefusedUntilTheWindowEnds() throws Exception {
        Map<String, Integer> answers = new TreeMap<>();
        for (int i = 0; i < 200; i++) {
            JsonNode answer = post("127.0.0.2", "/beat", "guess-" + i, "");
            assertThat(answer.path("code").asInt()).isEqualTo(500);
            answers.merge(answer.path("msg").asText().replaceAll("in \\d+ s", "in N s"), 1, Integer::sum);
        }
        JsonNode right = post("127.0.0.2", "/beat", TOKEN, "");
        System.out.println(
                "200 wrong executor tokens from one address answered " + answers + "; the right token then " + right);

        assertThat(answers)
                .as("ten wrong tokens compared, then no guess is compared any more")
                .containsEntry("The access token is wrong.", 10)
                .containsEntry("rate limited: 10 wrong access tokens from this address, try again in N s", 190);
        assertThat(right.path("code").asInt())
                .as("the right token right after 200 guesses is refused like a wrong one")
                .isEqualTo(500);
        assertThat(right.path("msg").asText()).startsWith("rate limited: 10 wrong access tokens from this address");
        assertThat(post("127.0.0.1", "/beat", TOKEN, "").path("code").asInt())
                .as("the console's address is another one")
                .isEqualTo(200);
        assertThat(redisson.getKeys().countExists(keys.key("console", keys.slot("login-failures"), "127.0.0.2")))
                .as("the admin token's counters are not the executor's")
                .isZero();

        redisson.getKeys().delete(keys.key("executor", keys.slot("token-failures"), "127.0.0.2")); // the way back
        assertThat(post("127.0.0.2", "/beat", TOKEN, "").path("code").asInt()).isEqualTo(200);
    }

    /**
     * Wrong tokens sent at once are bounded as sent one by one: each is counted as it is let through, in the same step
     * as the check, so no more than the limit are ever compared. Before, each read the count, was compared, then
     * counted: one of the executor's two threads read the count before the other's guess had added to it, and 11 of 48
     * sent at once were compared against the 10 allowed (answered "wrong token").
     */
    @Test
    void aBurstOfConcurrentWrongTokensIsComparedNoMoreOftenThanTheLimit() throws Exception {
        List<Callable<String>> guesses = new ArrayList<>();
        for (int i = 0; i < 48; i++) {
            String guess = "burst-" + i;
            guesses.add(() ->
                    post("127.0.0.20", "/beat", guess, "").path("msg").asText().replaceAll("in \\d+ s", "in N s"));
        }
        Map<String, Integer> answers = ConcurrentBurst.answers(48, guesses);

        assertThat(answers.getOrDefault(WRONG, 0))
                .as("wrong tokens compared of 48 sent at once, the rest refused unseen: " + answers)
                .isLessThanOrEqualTo(10);
        assertThat(answers.getOrDefault(WRONG, 0) + answers.getOrDefault(TOO_MANY, 0))
                .as(answers.toString())
                .isEqualTo(48);
    }

    /**
     * Once an address is locked out, the right token from it is answered as a wrong one is, interim answers and size
     * refusals included. The token was compared as soon as a request's headers arrived, and only the right one got
     * {@code 100 Continue} at once, or its over-long body refused for its size where a wrong one was "rate limited":
     * each guess was told right or wrong, uncounted, past the limit.
     */
    @Test
    void fromALockedOutAddressTheRightTokenIsAnsweredAsAWrongOne() throws Exception {
        for (int i = 0; i < 10; i++) {
            post("127.0.0.21", "/beat", "lock-" + i, "");
        }
        int over = (1 << 20) + 1;
        Map<String, String> right = new TreeMap<>();
        Map<String, String> wrong = new TreeMap<>();
        for (String kind : List.of("expect", "length", "chunked")) {
            right.put(kind, exchange(kind, TOKEN, over));
            wrong.put(kind, exchange(kind, "guess-" + kind, over));
        }
        System.out.println("from a locked-out address the right token answered " + right + ", a wrong one " + wrong);

        assertThat(right).isEqualTo(wrong);
    }

    /**
     * A POST to {@code /beat} from 127.0.0.21 with {@code token}, its whole raw answer (the seconds left made N):
     * {@code expect} a small body sent with {@code Expect: 100-continue}, {@code length} a body of {@code over} bytes
     * with its {@code Content-Length}, {@code chunked} one of {@code over} bytes in chunks.
     */
    private static String exchange(String kind, String token, int over) throws IOException {
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress("127.0.0.21", 0));
            socket.connect(new InetSocketAddress("127.0.0.1", EXECUTOR_PORT), 5_000);
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            String head = "POST /beat HTTP/1.1\r\nHost: 127.0.0.1\r\nXXL-JOB-ACCESS-TOKEN: " + token
                    + "\r\nConnection: close\r\n";
            byte[] piece = new byte[1 << 16];
            Arrays.fill(piece, (byte) 'x');
            if (kind.equals("expect")) {
                out.write((head + "Expect: 100-continue\r\nContent-Length: 2\r\n\r\n{}")
                        .getBytes(StandardCharsets.US_ASCII));
            } else if (kind.equals("length")) {
                out.write((head + "Content-Length: " + over + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                for (int sent = 0; sent < over; sent += piece.length) {
                    out.write(piece, 0, Math.min(piece.length, over - sent));
                }
            } else {
                out.write((head + "Transfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                for (int sent = 0; sent < over; sent += piece.length) {
                    int n = Math.min(piece.length, over - sent);
                    out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(piece, 0, n);
                    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                }
                out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            out.flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8)
                    .replaceAll("in \\d+ s", "in N s");
        }
    }

    @Test
    void guessesSpreadOverAddressesAreCutOffAndTheConsoleKeepsRunningJobs() throws Exception {
        assertThat(post("127.0.0.1", "/beat", TOKEN, "").path("code").asInt())
                .as("the console, at its usual address")
                .isEqualTo(200);
        Map<String, Integer> answers = new TreeMap<>();
        for (int host = 2; host <= 6; host++) {
            for (int i = 0; i < 8; i++) {
                answers.merge(
                        post("127.0.0." + host, "/beat", "guess-" + host + "-" + i, "")
                                .path("msg")
                                .asText(),
                        1,
                        Integer::sum);
            }
        }
        JsonNode fresh = post("127.0.0.7", "/beat", TOKEN, "");
        JsonNode moreGuesses = post("127.0.0.8", "/beat", "guess-8", "");
        JsonNode console = post("127.0.0.1", "/beat", TOKEN, "");
        System.out.println("40 guesses from 5 addresses answered " + answers + "; the right token from a new address "
                + fresh + ", a guess from another " + moreGuesses + ", the console " + console);

        assertThat(answers)
                .as("under each address's own limit")
                .containsExactly(Map.entry("The access token is wrong.", 40));
        assertThat(fresh.path("msg").asText())
                .as("past the limit of all addresses a new address is refused, the right token too")
                .startsWith("rate limited: 40 wrong access tokens from all addresses");
        assertThat(moreGuesses.path("msg").asText())
                .startsWith("rate limited: 40 wrong access tokens from all addresses");
        assertThat(console.path("code").asInt())
                .as("the console's address presented the right token before: not locked out by guesses from others")
                .isEqualTo(200);
    }

    /**
     * Forty connections each send 1 MiB less a byte of a request with a wrong token and wait. The aggregator kept
     * every byte until the request was complete; now nothing of such a body is kept.
     */
    @Test
    void theBodyOfARequestWithoutTheRightTokenIsNotKept() throws Exception {
        ByteBufAllocatorMetric netty = ((ByteBufAllocatorMetricProvider) ByteBufAllocator.DEFAULT).metric();
        long before = netty.usedDirectMemory() + netty.usedHeapMemory();
        List<Socket> held = new ArrayList<>();
        long grown = 0;
        try {
            byte[] piece = new byte[1 << 16];
            Arrays.fill(piece, (byte) 'x');
            for (int i = 0; i < 40; i++) {
                Socket socket = new Socket("127.0.0.1", EXECUTOR_PORT);
                held.add(socket);
                OutputStream out = socket.getOutputStream();
                out.write(("POST /run HTTP/1.1\r\nHost: 127.0.0.1\r\nXXL-JOB-ACCESS-TOKEN: guess\r\nContent-Length: "
                                + (1 << 20) + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                for (int sent = 0; sent < (1 << 20) - 1; sent += piece.length) {
                    out.write(piece, 0, Math.min(piece.length, (1 << 20) - 1 - sent));
                }
                out.flush();
            }
            // Measured once the executor has read every byte sent (what it kept of them is all it will keep), at
            // most 5 s on: where that cannot be seen (no /proc/net/tcp), the whole 5 s every byte was given before.
            long sent = System.nanoTime();
            long deadline = sent + 5_000_000_000L;
            do {
                Thread.sleep(100);
            } while (System.nanoTime() < deadline && !readByTheExecutor(held));
            grown = netty.usedDirectMemory() + netty.usedHeapMemory() - before;
            System.out.println("40 unfinished 1 MiB bodies with a wrong token: Netty's pooled memory grew by " + grown
                    + " bytes, measured " + (System.nanoTime() - sent) / 1_000_000
                    + " ms after the last byte was sent");
            assertThat(post("127.0.0.1", "/beat", TOKEN, "").path("code").asInt())
                    .as("the console meanwhile")
                    .isEqualTo(200);
        } finally {
            for (Socket socket : held) {
                socket.close();
            }
        }
        assertThat(grown)
                .as("bytes kept of bodies sent without the right token")
                .isLessThan(16L << 20);
    }

    /**
     * A hundred connections from one address that never finish a request (a byte every 29 s would keep each alive):
     * all were kept, each a file descriptor of the whole service's. Now one address holds at most 64; the console, at
     * another address, is still served.
     */
    @Test
    void oneAddressCannotHoldMoreThanSixtyFourConnectionsOpen() throws Exception {
        List<Socket> held = new ArrayList<>();
        int closedByTheExecutor;
        try {
            holdUnfinished(held, 100, i -> "127.0.0.30");
            closedByTheExecutor = closedByTheExecutor(held);
            System.out.println("100 unfinished connections from one address: " + closedByTheExecutor
                    + " closed by the executor at once");
            assertThat(post("127.0.0.1", "/beat", TOKEN, "").path("code").asInt())
                    .as("the console meanwhile")
                    .isEqualTo(200);
        } finally {
            for (Socket socket : held) {
                socket.close();
            }
        }
        assertThat(closedByTheExecutor)
                .as("connections over 64 from one address")
                .isEqualTo(36);
    }

    /**
     * Four addresses each hold fifty unfinished connections, under the per-address limit (64): all 200 were kept, as
     * many as there were addresses allowed. Now the total is bounded ({@code gbm.xxl-job.max-connections}, 150 here):
     * 50 are closed at once, and the console, an address that presented the right token, is still served over it.
     */
    @Test
    void manyAddressesCannotHoldMoreThanTheTotalOpen() throws Exception {
        assertThat(post("127.0.0.1", "/beat", TOKEN, "").path("code").asInt())
                .as("the console, known by its right token")
                .isEqualTo(200);
        Thread.sleep(500); // earlier tests' connections, closed by the client, are closed by the executor too
        List<Socket> held = new ArrayList<>();
        int closedByTheExecutor;
        int console;
        try {
            holdUnfinished(held, 200, i -> "127.0.0." + (40 + i / 50));
            closedByTheExecutor = closedByTheExecutor(held);
            console = post("127.0.0.1", "/beat", TOKEN, "").path("code").asInt();
            System.out.println("200 unfinished connections from 4 addresses: " + closedByTheExecutor
                    + " closed by the executor at once; the console then answered " + console);
        } finally {
            for (Socket socket : held) {
                socket.close();
            }
        }
        assertThat(closedByTheExecutor).as("connections over the total of 150").isEqualTo(50);
        assertThat(console).as("the console over the total").isEqualTo(200);
    }

    /**
     * A run's log of 8 MiB: the library answered it whole in one answer (and held it three times over to write it);
     * the console pages by {@code fromLineNum}/{@code toLineNum}, so the executor now answers at most 256 KiB of log at
     * a time and the pages add up to the file.
     */
    @Test
    void aLargeRunLogIsAnsweredInPagesThatAddUpToTheFile() throws Exception {
        long logTime = System.currentTimeMillis();
        long logId = 77_000_000L + (logTime % 1000);
        Path dayDir =
                Files.createDirectories(LOGS.resolve(new SimpleDateFormat("yyyy-MM-dd").format(new Date(logTime))));
        StringBuilder log = new StringBuilder();
        int lines = 0;
        while (log.length() < (8 << 20)) {
            lines++;
            log.append("2026-12-03 04:00:00 [groupBuyNotifyJob] line ")
                    .append(lines)
                    .append(' ')
                    .append("y".repeat(lines % 211))
                    .append("\r\n");
        }
        Files.writeString(dayDir.resolve(logId + ".log"), log, StandardCharsets.UTF_8);

        StringBuilder paged = new StringBuilder();
        int from = 1;
        int pages = 0;
        int largest = 0;
        while (pages < 1000) {
            String raw = EXECUTOR.postRaw(
                    "127.0.0.1",
                    "/log",
                    TOKEN,
                    "{\"logDateTim\":" + logTime + ",\"logId\":" + logId + ",\"fromLineNum\":" + from + "}");
            largest = Math.max(largest, raw.length());
            JsonNode content = JSON.readTree(raw).path("content");
            assertThat(content.path("fromLineNum").asInt()).isEqualTo(from);
            int to = content.path("toLineNum").asInt();
            if (from > to) {
                break;
            }
            String text = content.path("logContent").asText();
            int note = text.lastIndexOf("[the executor answers at most");
            paged.append(note >= 0 ? text.substring(0, note) : text);
            from = to + 1;
            pages++;
        }
        System.out.println("an 8 MiB run log of " + lines + " lines came back in " + pages + " answers, the largest "
                + largest + " characters");

        assertThat(largest).as("the largest answer").isLessThan(1 << 20);
        assertThat(paged.toString()).isEqualTo(log.toString().replace("\r\n", "\n"));
    }

    private static JsonNode post(String from, String path, String token, String body) throws IOException {
        return EXECUTOR.post(from, path, token, body);
    }

    /**
     * Whether the executor has read everything sent on these connections: nothing is left in our send queue nor in its
     * receive queue of any of them ({@code /proc/net/tcp} and {@code tcp6}: a Java socket to 127.0.0.1 may be an IPv6
     * one; {@code tx_queue:rx_queue} are hex byte counts, each end known by its local and remote port). False where the
     * kernel does not tell.
     */
    private static boolean readByTheExecutor(List<Socket> held) {
        Map<String, String[]> queues = new TreeMap<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            List<String> lines;
            try {
                lines = Files.readAllLines(Path.of(table));
            } catch (IOException | UnsupportedOperationException unknown) {
                continue;
            }
            for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
                String[] fields = line.trim().split("\\s+");
                if (fields.length > 4) {
                    queues.put(port(fields[1]) + ">" + port(fields[2]), fields[4].split(":"));
                }
            }
        }
        for (Socket socket : held) {
            String[] sending = queues.get(socket.getLocalPort() + ">" + EXECUTOR_PORT);
            String[] receiving = queues.get(EXECUTOR_PORT + ">" + socket.getLocalPort());
            if (sending == null
                    || receiving == null
                    || Long.parseLong(sending[0], 16) != 0
                    || Long.parseLong(receiving[1], 16) != 0) {
                return false;
            }
        }
        return true;
    }

    /** The port of a {@code /proc/net/tcp} address, {@code 0100007F:1F90}. */
    private static int port(String address) {
        return Integer.parseInt(address.substring(address.indexOf(':') + 1), 16);
    }

    /** Opens {@code count} connections, the i-th from {@code address.apply(i)}, each with a request never finished. */
    private static void holdUnfinished(List<Socket> held, int count, IntFunction<String> address) throws IOException {
        for (int i = 0; i < count; i++) {
            Socket socket = new Socket();
            held.add(socket);
            socket.bind(new InetSocketAddress(address.apply(i), 0));
            socket.connect(new InetSocketAddress("127.0.0.1", EXECUTOR_PORT), 5_000);
            socket.getOutputStream()
                    .write("POST /beat HTTP/1.1\r\nHost: 127.0.0.1\r\n".getBytes(StandardCharsets.US_ASCII));
        }
    }

    /**
     * After a second, how many of the connections the executor has closed (the rest it holds open). The executor closes
     * a connection over its limit when it accepts it, so by then its end has arrived and a read sees it at once; each
     * connection still open costs its read's timeout, 5 ms (at 50 ms the 150 held open cost 7.5 s).
     */
    private static int closedByTheExecutor(List<Socket> held) throws IOException, InterruptedException {
        Thread.sleep(1_000);
        int closed = 0;
        for (Socket socket : held) {
            socket.setSoTimeout(5);
            try {
                if (socket.getInputStream().read() == -1) {
                    closed++;
                }
            } catch (java.net.SocketTimeoutException stillOpen) {
                // held open by the executor
            } catch (IOException reset) {
                closed++;
            }
        }
        return closed;
    }
}
