package com.groupbuy.market.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.groupbuy.market.support.ExecutorEndpoint;
import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.PrivateRedis;
import com.groupbuy.market.support.PrivateRedisServer;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * The XXL-Job executor while its token limit's Redis (a private redis-server, never the shared one) is stopped
 * (SIGSTOP: connections open, nothing answered) or gone. Each test uses client addresses of its own (127.0.0.x are all
 * loopback on Linux), since the limit counts per address.
 */
@IntegrationTest
@PrivateRedisServer
@TestPropertySource(
        properties = {
            "gbm.console.login.max-failures=10",
            "gbm.console.login.max-failures-all-addresses=40",
            "gbm.console.login.window=10m"
        })
class ExecutorRedisOutageIT {

    private static final ExecutorEndpoint EXECUTOR = ExecutorEndpoint.withToken("it-executor-outage-token-0123");
    private static final String TOKEN = EXECUTOR.token();
    private static final ObjectMapper JSON = new ObjectMapper();

    @DynamicPropertySource
    static void executor(DynamicPropertyRegistry registry) {
        EXECUTOR.register(registry);
    }

    @Autowired
    PrivateRedis redis;

    /**
     * 240 requests with the right token (it is checked against the limit first, whatever it is; no failure is counted
     * for the next test to meet) arrive while Redis answers nothing: the pool's two threads wait on Redis, its queue
     * (200) fills, and the event loop — the one thread that accepts and reads every connection — ran the next request
     * itself, its Redis call included. The thread dumps taken meanwhile count how often the event loop was found inside
     * the token limit's Redis call: never, now; those requests are answered "busy" at once.
     */
    @Test
    void noRedisCallRunsOnTheEventLoopWhenThePoolIsFull() throws Exception {
        List<Socket> held = new ArrayList<>();
        int notAccepted = 0;
        int loopSeenInRedis = 0;
        int dumps = 0;
        Map<String, Integer> answers = new TreeMap<>();
        redis.pause();
        try {
            for (int i = 0; i < 240; i++) {
                Socket socket = new Socket();
                held.add(socket);
                try {
                    socket.bind(new InetSocketAddress("127.0.0." + (50 + i / 60), 0));
                    socket.connect(new InetSocketAddress("127.0.0.1", EXECUTOR.port()), 1_000);
                    socket.getOutputStream().write(ExecutorEndpoint.request("/beat", TOKEN, ""));
                } catch (IOException stalled) {
                    notAccepted++;
                }
                if (i % 10 == 0) {
                    dumps++;
                    loopSeenInRedis += eventLoopInRedis();
                }
            }
            for (int i = 0; i < 100; i++) {
                dumps++;
                loopSeenInRedis += eventLoopInRedis();
                Thread.sleep(20);
            }
        } finally {
            redis.resume();
        }
        try {
            for (Socket socket : held) {
                if (!socket.isConnected()) {
                    continue;
                }
                socket.setSoTimeout(30_000);
                String msg;
                try {
                    msg = JSON.readTree(ExecutorEndpoint.body(socket))
                            .path("msg")
                            .asText()
                            .replaceAll("\\d+", "N");
                } catch (IOException e) {
                    msg = "(no answer: " + e.getClass().getSimpleName() + ")";
                }
                answers.merge(msg, 1, Integer::sum);
            }
        } finally {
            for (Socket socket : held) {
                socket.close();
            }
        }
        System.out.println("240 requests while Redis was stopped: " + notAccepted + " connections not accepted "
                + "within 1 s; the event loop was inside the token limit's Redis call in " + loopSeenInRedis + " of "
                + dumps + " thread dumps; answers " + answers);

        assertThat(loopSeenInRedis)
                .as("thread dumps with the event loop inside a Redis call")
                .isZero();
        assertThat(answers)
                .as("what the pool could not take is answered busy")
                .containsKey("the executor is busy (too many requests waiting), try again later");
    }

    /**
     * Redis gone (killed): the executor refused every request with a token, the right one from the console too, so no
     * operator could run the compensation jobs during the outage. Now this instance counts alone, with the same limits:
     * the console's right token runs, fifteen guesses from another address get ten compared and five refused, and that
     * address's right token is then refused too, as with Redis.
     */
    @Test
    void whileRedisIsDownTheRightTokenRunsAndGuessesStayBounded() throws Exception {
        redis.kill();
        JsonNode console;
        JsonNode lockedOut;
        Map<String, Integer> guesses = new TreeMap<>();
        try {
            console = EXECUTOR.post("127.0.0.1", "/beat", TOKEN, "");
            for (int i = 0; i < 15; i++) {
                guesses.merge(
                        EXECUTOR.post("127.0.0.70", "/beat", "guess-" + i, "")
                                .path("msg")
                                .asText()
                                .replaceAll("in \\d+ s", "in N s"),
                        1,
                        Integer::sum);
            }
            lockedOut = EXECUTOR.post("127.0.0.70", "/beat", TOKEN, "");
        } finally {
            redis.startAgain();
            redis.awaitOnePong();
        }
        System.out.println("Redis down: the console's right token answered " + console + "; 15 guesses from another "
                + "address " + guesses + "; its right token then " + lockedOut);

        assertThat(console.path("code").asInt())
                .as("the console's right token while Redis is down")
                .isEqualTo(200);
        assertThat(guesses)
                .as("ten guesses compared, then refused: bounded without Redis too")
                .containsOnly(
                        Map.entry("The access token is wrong.", 10),
                        Map.entry("rate limited: 10 wrong access tokens from this address, try again in N s", 5));
        assertThat(lockedOut.path("msg").asText())
                .as("the right token after the limit, from that address")
                .startsWith("rate limited: 10 wrong access tokens from this address");
    }

    /** Thread dumps in which an event-loop thread of the executor is inside the Redis-backed token limit (0 or 1). */
    private static int eventLoopInRedis() {
        for (ThreadInfo thread : ManagementFactory.getThreadMXBean().dumpAllThreads(false, false)) {
            if (!thread.getThreadName().startsWith("xxl-job-io")) {
                continue;
            }
            for (StackTraceElement frame : thread.getStackTrace()) {
                if (frame.getClassName().startsWith("com.groupbuy.market.config.RedisAuthLimit")
                        || frame.getClassName().startsWith("com.groupbuy.market.infrastructure.outage.RedisOutages")) {
                    return 1;
                }
            }
        }
        return 0;
    }
}
