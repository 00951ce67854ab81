package com.groupbuy.market.config.embedded;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * The default profile's embedded servers under the smallest Spring context (no auto-configuration, so it starts in
 * seconds), with one bean that still works while the context closes, as a settlement waiting for a row lock or the
 * notify-attempt recorder's last write does: after a pause it writes a row to the embedded MariaDB, asks the embedded
 * Redis for PONG and connects to the embedded broker, and prints what each answered. {@link FailedStartIT} runs it
 * in a JVM of its own and sends it SIGTERM. Not a configuration class on purpose: no scan of a test context takes it
 * in, and no {@code @SpringBootTest} of this package takes it for the service.
 */
public class ShutdownWorkApp {

    static final String READY = "shutdown-work-app ready";

    public static void main(String[] args) throws InterruptedException {
        SpringApplication application = new SpringApplication(ShutdownWorkApp.class);
        application.setWebApplicationType(WebApplicationType.NONE);
        try {
            application.run(args);
        } catch (RuntimeException failedStart) {
            System.exit(1);
        }
        System.out.println(READY);
        // The JVM ends with SIGTERM only, as the service does.
        Thread.sleep(Long.MAX_VALUE);
    }

    @Bean
    WorkAtClose workAtClose(Environment environment) {
        return new WorkAtClose(environment);
    }

    /** Closed with the context, so it runs inside Spring's graceful stop. */
    static final class WorkAtClose implements DisposableBean {

        private final Environment environment;

        WorkAtClose(Environment environment) {
            this.environment = environment;
        }

        @Override
        public void destroy() throws InterruptedException {
            // The drain a real stop waits for: the libraries' own hooks had this long to stop their servers.
            Thread.sleep(1000);
            report("mariadb", this::writeRow);
            report("redis", () -> answer(environment.getProperty("spring.data.redis.port", Integer.class), "PING"));
            report("broker", () -> answer(environment.getProperty("spring.rabbitmq.port", Integer.class), null));
        }

        private void writeRow() throws Exception {
            try (Connection db = DriverManager.getConnection(
                            environment.getProperty("spring.datasource.url"),
                            environment.getProperty("spring.datasource.username"),
                            environment.getProperty("spring.datasource.password"));
                    Statement sql = db.createStatement()) {
                sql.execute("CREATE TABLE IF NOT EXISTS written_at_close (id INT)");
                sql.execute("INSERT INTO written_at_close VALUES (1)");
            }
        }

        /** Connects; with a command, sends it in Redis's inline form and expects an answer. */
        private static void answer(Integer port, String command) throws IOException {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
                if (command != null) {
                    socket.setSoTimeout(1000);
                    OutputStream out = socket.getOutputStream();
                    out.write((command + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    InputStream in = socket.getInputStream();
                    if (in.read() != '+') {
                        throw new IOException("no answer to " + command);
                    }
                }
            }
        }

        private static void report(String server, Work work) {
            try {
                work.run();
                System.out.println("at close: " + server + " served");
            } catch (Exception e) {
                System.out.println("at close: " + server + " failed: " + e);
            }
        }
    }

    private interface Work {
        void run() throws Exception;
    }
}
