package com.groupbuy.market.scale;

import static com.groupbuy.market.support.TestJson.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.groupbuy.market.notify.NotifyTaskFixture;
import com.groupbuy.market.support.AppProcess;
import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.IsolatedDatabaseInitializer;
import com.groupbuy.market.support.PartnerReceiver;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The service under a file-descriptor limit of a few thousand (RLIMIT_NOFILE, here {@code prlimit}), as a systemd
 * unit or container may run it, while a caller holds as many idle connections to its HTTP port as it will take.
 * Tomcat kept up to 8192 connections, so they took every descriptor the process had, and a callback due then could not
 * open its socket ("Too many open files"): its attempts failed until the caller let go. Now the connections Tomcat
 * keeps are bounded to what the limit leaves besides {@code gbm.http.descriptor-reserve}, and the callback goes out
 * while the idle connections are held.
 */
@IntegrationTest
class DescriptorLimitIT {

    /** Low enough that idle connections reach it well under Tomcat's 8192, high enough for the default reserve. */
    private static final int LIMIT = 2048;

    @Autowired
    JdbcTemplate jdbc;

    @Value("${gbm.test.database}")
    String database;

    @Value("${gbm.redis.key-prefix}")
    String keyPrefix;

    @Test
    void idleConnectionsUpToTheLimitLeaveADueCallbackItsSocket() throws Exception {
        List<String> arguments = List.of(
                "--spring.datasource.url=" + IsolatedDatabaseInitializer.SERVER + database
                        + IsolatedDatabaseInitializer.PARAMS,
                "--spring.datasource.hikari.maximum-pool-size=5",
                "--gbm.redis.key-prefix=" + keyPrefix,
                "--gbm.notify.local-scheduler-enabled=true",
                "--gbm.notify.local-scheduler-delay=500ms",
                "--gbm.notify.backoff=1s");
        List<Socket> idle = new ArrayList<>();
        try (PartnerReceiver partner = new PartnerReceiver();
                AppProcess app = AppProcess.start(
                        "nofile", List.of("prlimit", "--nofile=" + LIMIT + ":" + LIMIT, "--"), arguments)) {
            try {
                // Connections until five in a row no longer complete: Tomcat has stopped accepting and its backlog
                // is full (one alone may time out while the acceptor catches up with the backlog).
                int failedInARow = 0;
                for (int i = 0; i < LIMIT + 400 && failedInARow < 5; i++) {
                    Socket socket = new Socket();
                    try {
                        socket.connect(new InetSocketAddress("127.0.0.1", app.port()), 1000);
                        idle.add(socket);
                        failedInARow = 0;
                    } catch (IOException full) {
                        socket.close();
                        failedInARow++;
                    }
                }
                String teamId = new NotifyTaskFixture(jdbc).dueTask(partner.url());

                await(() -> partner.received().stream()
                        .anyMatch(body -> teamId.equals(body.path("teamId").asText())));

                String log = Files.readString(app.output());
                assertThat(log)
                        .as(
                                "%d idle connections held, %d descriptors open of %d; log %s",
                                idle.size(), openDescriptors(app.pid()), LIMIT, app.output())
                        .doesNotContain("Too many open files")
                        .contains("server.tomcat.max-connections lowered from 8192 to");
            } finally {
                for (Socket socket : idle) {
                    socket.close();
                }
            }
        }
    }

    private static long openDescriptors(long pid) {
        try (Stream<Path> descriptors = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            return descriptors.count();
        } catch (IOException e) {
            return -1;
        }
    }
}
