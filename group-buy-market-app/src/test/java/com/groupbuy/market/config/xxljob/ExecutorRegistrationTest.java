package com.groupbuy.market.config.xxljob;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import com.xxl.job.core.biz.AdminBiz;
import com.xxl.job.core.biz.client.AdminBizClient;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
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
