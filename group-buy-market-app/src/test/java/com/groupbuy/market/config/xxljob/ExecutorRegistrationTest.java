package com.groupbuy.market.config.xxljob;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import com.xxl.job.core.biz.AdminBiz;
import com.xxl.job.core.biz.client.AdminBizClient;
import com.xxl.job.core.biz.model.HandleCallbackParam;
import com.xxl.job.core.biz.model.RegistryParam;
import com.xxl.job.core.biz.model.ReturnT;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * Registration against a real HTTP server playing the console's {@code /api/registry}: a refused token or a
 * console that is down means nobody drives our jobs (the local schedulers take over); accepted, the console does.
 */
@ExtendWith(OutputCaptureExtension.class)
class ExecutorRegistrationTest {

    private static final String ACCEPTED = "{\"code\":200,\"msg\":null}";
    private static final String WRONG_TOKEN = "{\"code\":500,\"msg\":\"The access token is wrong.\"}";

    private final AtomicReference<String> answer = new AtomicReference<>(WRONG_TOKEN);
    private HttpServer console;

    @AfterEach
    void stop() {
        if (console != null) {
            console.stop(0);
        }
    }

    @Test
    void aRefusedTokenMeansNobodyDrivesUsAndAnErrorSaysWhyThenAcceptedItDoes(CapturedOutput output) throws Exception {
        ExecutorRegistration registration = registration(startConsole());

        registration.registerOnce();

        assertThat(registration.drivesJobs()).isFalse();
        assertThat(registration.status().consoleConfigured()).isTrue();
        assertThat(registration.status().detail()).isEqualTo("The access token is wrong.");
        assertThat(output.getOut())
                .contains("ERROR")
                .contains("cannot register as http://127.0.0.1:9/")
                .contains("The access token is wrong.");

        answer.set(ACCEPTED);
        registration.registerOnce();

        assertThat(registration.drivesJobs()).isTrue();
        assertThat(output.getOut()).contains("the console drives the jobs, the local schedulers stand by");

        answer.set(WRONG_TOKEN);
        registration.registerOnce();

        assertThat(registration.drivesJobs()).isFalse();
    }

    @Test
    void aConsoleThatIsDownMeansNobodyDrivesUs() throws Exception {
        int port = startConsole();
        console.stop(0);
        console = null;
        ExecutorRegistration registration = registration(port);

        registration.registerOnce();

        assertThat(registration.drivesJobs()).isFalse();
        assertThat(registration.status().detail()).contains("xxl-job remoting");
    }

    @Test
    void withoutAConsoleNobodyDrivesUsAndNothingIsCalled() {
        ExecutorRegistration registration =
                new ExecutorRegistration(null, "app", "http://127.0.0.1:9/", Duration.ofSeconds(30));

        assertThat(registration.drivesJobs()).isFalse();
        assertThat(registration.status().consoleConfigured()).isFalse();
    }

    /**
     * An OutOfMemoryError thrown in a beat (a full heap throws it in whichever thread allocates) ended the registry
     * timer for good, the status left as it was ("registered"): the console, beat no more, dropped us after 90 s, and
     * the local schedulers, told the console drives the jobs, stood by. The beat counts as failed and the next one
     * registers.
     */
    @Test
    void anErrorInABeatIsAFailedBeatAndTheNextOneRegisters() throws Exception {
        answer.set(ACCEPTED);
        AdminBiz client =
                new AdminBizClient("http://127.0.0.1:" + startConsole() + "/xxl-job-admin", "unit-token-0123456789", 2);
        AtomicInteger beats = new AtomicInteger();
        AdminBiz console = new AdminBiz() {
            @Override
            public ReturnT<String> callback(List<HandleCallbackParam> params) {
                return client.callback(params);
            }

            @Override
            public ReturnT<String> registry(RegistryParam param) {
                if (beats.incrementAndGet() == 2) {
                    throw new OutOfMemoryError("Java heap space");
                }
                return client.registry(param);
            }

            @Override
            public ReturnT<String> registryRemove(RegistryParam param) {
                return client.registryRemove(param);
            }
        };
        ExecutorRegistration registration =
                new ExecutorRegistration(List.of(console), "unit-app", "http://127.0.0.1:9/", Duration.ofMillis(50));
        try {
            registration.start();
            long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (beats.get() < 4 && System.nanoTime() < until) {
                Thread.sleep(10);
            }
            assertThat(beats).as("beats after the one that threw").hasValueGreaterThanOrEqualTo(4);
            assertThat(registration.drivesJobs()).isTrue();
        } finally {
            registration.stop();
        }
    }

    private ExecutorRegistration registration(int consolePort) {
        List<AdminBiz> consoles = List.of(
                new AdminBizClient("http://127.0.0.1:" + consolePort + "/xxl-job-admin", "unit-token-0123456789", 2));
        return new ExecutorRegistration(consoles, "unit-app", "http://127.0.0.1:9/", Duration.ofSeconds(30));
    }

    private int startConsole() throws IOException {
        console = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10);
        console.createContext("/xxl-job-admin/api/registry", exchange -> {
            byte[] body = answer.get().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        console.start();
        return console.getAddress().getPort();
    }
}
