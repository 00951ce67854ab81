package com.groupbuy.market.config.xxljob;

import static org.assertj.core.api.Assertions.assertThat;

import com.groupbuy.market.support.RawHttp;
import com.groupbuy.market.trigger.http.admin.AdminAuthLimit;
import com.xxl.job.core.biz.impl.ExecutorBizImpl;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * DNS rebinding against the executor's port: a page that rebinds its own name to the executor's address could send
 * {@code XXL-JOB-ACCESS-TOKEN} guesses from the operator's own address (counted there, until a console calling from
 * that address is locked out) and read the answers. Its requests name the page's host, and are refused before the
 * token is looked at: nothing is counted or run. The console calls the registered address and is served. On main
 * every Host was served.
 */
class ExecutorHostCheckTest {

    private static final String TOKEN = "unit-test-token-0123456789";

    private final AtomicInteger failures = new AtomicInteger();
    private final AtomicInteger successes = new AtomicInteger();
    private final AdminAuthLimit counting = new AdminAuthLimit() {
        @Override
        public Refusal refusal(String client) {
            return null;
        }

        @Override
        public void failed(String client) {
            failures.incrementAndGet();
        }

        @Override
        public void succeeded(String client) {
            successes.incrementAndGet();
        }
    };

    @Test
    void aRebindingPageIsRefusedAndNothingIsCounted() throws Exception {
        try (ExecutorHttpServer server = ExecutorHttpServer.start(
                "127.0.0.1", 0, TOKEN, counting, new ExecutorBizImpl(), 16, List.of("executor.internal"))) {
            int port = server.boundAddress().getPort();
            for (String host : List.of(
                    "evil.example",
                    "evil.example:" + port,
                    "127.0.0.1.evil.example:" + port,
                    "executor.internal.evil.example")) {
                for (String token : List.of(TOKEN, "guess")) {
                    String body = beat(port, host, token);
                    assertThat(body)
                            .as(host)
                            .contains(ExecutorRequestHandler.HOST_REFUSED)
                            .contains("\"code\":500");
                }
            }
            assertThat(failures).as("no guess counted").hasValue(0);
            assertThat(successes).as("no call served").hasValue(0);

            for (String host : List.of(
                    "127.0.0.1:" + port, "localhost:" + port, "LOCALHOST", "[::1]:" + port, "Executor.Internal:9999")) {
                assertThat(beat(port, host, TOKEN)).as(host).contains("\"code\":200");
            }
            assertThat(successes).hasValue(5);
            assertThat(beat(port, "127.0.0.1:" + port, "guess")).contains("The access token is wrong.");
            assertThat(failures).hasValue(1);
        }
    }

    private static String beat(int port, String host, String token) throws Exception {
        return RawHttp.sendRaw(
                        port,
                        ("POST /beat HTTP/1.1\r\nHost: " + host + "\r\nXXL-JOB-ACCESS-TOKEN: " + token
                                        + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                                .getBytes(StandardCharsets.US_ASCII))
                .body();
    }
}
