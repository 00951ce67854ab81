package com.groupbuy.market.config;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.actuate.autoconfigure.web.server.ManagementPortType;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;

/**
 * Refuses a management port of its own ({@code management.server.port} set to another port than {@code server.port}),
 * on every profile. Spring Boot serves the actuator there from a child context that binds
 * {@code management.server.address} — every interface when unset, whatever {@code server.address} says — and runs
 * none of the application's filters and valves: the admin token filter (prod's protected metrics and health details),
 * the Host check against DNS rebinding and the response headers. One setting meant as "a port for the probes" would
 * open the metrics to the network without the token. The actuator is served on {@code server.port} behind the admin
 * token (docs/operations.md); {@code -1} (no actuator over HTTP) and the server's own port are accepted.
 */
public class ManagementPortGuard implements EnvironmentPostProcessor {

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        check(environment);
    }

    static void check(Environment environment) {
        if (ManagementPortType.get(environment) != ManagementPortType.DIFFERENT) {
            return;
        }
        throw new IllegalStateException("refusing to start: management.server.port (MANAGEMENT_SERVER_PORT) is "
                + environment.getProperty("management.server.port") + ", a port of its own for the actuator, where "
                + "it would listen on every interface unless management.server.address is set and without the admin "
                + "token, the Host check or the response headers of server.port. Remove it (the actuator is served on "
                + "server.port behind X-Admin-Token, docs/operations.md), or set -1 to serve no actuator over HTTP.");
    }
}
