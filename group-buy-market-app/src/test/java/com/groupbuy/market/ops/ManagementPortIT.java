package com.groupbuy.market.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.RawHttp;
import com.groupbuy.market.support.SecondInstance;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;

/**
 * {@code management.server.port} (MANAGEMENT_SERVER_PORT), a common Spring Boot setting, moves the actuator to a
 * server of its own that Spring Boot builds in a child context: it binds {@code management.server.address}, every
 * interface when unset (whatever {@code server.address} says), and none of the application's filters or valves run
 * there. On main, with prod's actuator settings, it served /actuator/metrics and /actuator/prometheus without the admin
 * token on every interface, and answered any Host. The start is refused instead: the actuator is served on
 * {@code server.port} behind the admin token (docs/operations.md).
 */
@IntegrationTest
class ManagementPortIT {

    private static final String TOKEN = "it-admin-token-0123456789";

    @Autowired
    Environment environment;

    @Test
    void aManagementPortOfItsOwnIsRefusedAtStart() throws Exception {
        String[] prodActuator = {
            "gbm.admin.token=" + TOKEN,
            "gbm.admin.protect-actuator=true",
            "management.endpoint.health.show-details=when-authorized",
            "server.address=127.0.0.1",
            "management.server.port=0"
        };
        String leaked = null;
        Throwable refused = null;
        SecondInstance other = null;
        try {
            other = SecondInstance.like(environment, prodActuator);
        } catch (RuntimeException e) {
            refused = e;
        }
        if (other != null) {
            try (SecondInstance started = other) {
                int managementPort =
                        Integer.parseInt(started.bean(Environment.class).getProperty("local.management.port"));
                RawHttp.Answer metrics = RawHttp.sendRaw(
                        managementPort,
                        ("GET /actuator/metrics HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n")
                                .getBytes(StandardCharsets.ISO_8859_1));
                leaked = "started with the actuator on port " + managementPort + ": /actuator/metrics without the "
                        + "token, Host evil.example, answered " + metrics.status() + " "
                        + metrics.body()
                                .substring(0, Math.min(80, metrics.body().length()));
            }
        }
        assertThat(leaked).isNull();
        assertThat(refused).hasStackTraceContaining("management.server.port");
    }

    /** Switching the actuator's HTTP side off ({@code -1}) opens nothing and still starts. */
    @Test
    void theActuatorSwitchedOffStillStarts() {
        Throwable failed = catchThrowable(() -> {
            try (SecondInstance other = SecondInstance.like(environment, "management.server.port=-1")) {
                assertThat(other.port()).isPositive();
            }
        });
        assertThat(failed).isNull();
    }
}
