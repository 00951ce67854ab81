package com.groupbuy.market.config;

import com.sun.management.UnixOperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import lombok.extern.slf4j.Slf4j;
import org.apache.coyote.AbstractProtocol;
import org.springframework.boot.autoconfigure.web.ServerProperties;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Keeps the HTTP port's connections within the process's file-descriptor limit (RLIMIT_NOFILE: {@code ulimit -n},
 * systemd's {@code LimitNOFILE}, a container's {@code nofile}). Every socket is a descriptor, and Tomcat keeps up to
 * {@code server.tomcat.max-connections} (8192) open, idle keep-alive ones included: under a limit of a few thousand,
 * any caller that opened enough idle connections took every descriptor, and the service could no longer open a
 * database connection, a Redis reconnect, a callback's socket or a log file ("Too many open files"); a callback due
 * then failed its attempts (DescriptorLimitIT). Now, when the web server is made, the connections Tomcat may keep are bounded to
 * the limit less the descriptors open then and {@code gbm.http.descriptor-reserve} (what the pools, the XXL-Job
 * executor's cap, callbacks and logs may still open), and a start whose limit leaves fewer than
 * {@code server.tomcat.threads.max} is refused, naming the numbers (docs/operations.md).
 */
@Slf4j
@Configuration
public class DescriptorBudgetConfig {

    @Bean
    public WebServerFactoryCustomizer<TomcatServletWebServerFactory> connectionsWithinTheDescriptorLimit(
            HttpDescriptorProperties properties, ServerProperties server) {
        int reserve = properties.getDescriptorReserve();
        return factory -> factory.addConnectorCustomizers(connector -> {
            OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
            if (!(os instanceof UnixOperatingSystemMXBean unix)
                    || !(connector.getProtocolHandler() instanceof AbstractProtocol<?> protocol)) {
                return;
            }
            int threads = server.getTomcat().getThreads().getMax();
            Budget budget =
                    new Budget(unix.getMaxFileDescriptorCount(), unix.getOpenFileDescriptorCount(), reserve, threads);
            int configured = protocol.getMaxConnections();
            int bounded = budget.maxConnections(configured);
            if (bounded != configured) {
                log.warn(
                        "server.tomcat.max-connections lowered from {} to {}: {}",
                        configured < 0 ? "unlimited" : configured,
                        bounded,
                        budget);
                protocol.setMaxConnections(bounded);
            } else {
                log.info("server.tomcat.max-connections {} fits the descriptor limit: {}", configured, budget);
            }
        });
    }

    /**
     * The process's descriptor limit and what is open when the web server is made, against what the rest of the
     * service may still need ({@code reserve}) and the request threads ({@code threads}).
     */
    record Budget(long limit, long open, int reserve, int threads) {

        /** Descriptors the HTTP port's connections may take. */
        long left() {
            return limit - open - reserve;
        }

        /**
         * {@code configured} (negative: unlimited) bounded to what the limit leaves; a limit that leaves fewer than a
         * connection per request thread refuses the start.
         */
        int maxConnections(int configured) {
            long left = left();
            if (left < threads) {
                throw new IllegalStateException(
                        "refusing to start: the process may open " + limit
                                + " file descriptors (RLIMIT_NOFILE: ulimit -n, systemd's LimitNOFILE, the container's nofile); "
                                + open + " are open and gbm.http.descriptor-reserve keeps " + reserve
                                + " for the database "
                                + "and Redis pools, the XXL-Job executor, callbacks and logs, which leaves "
                                + Math.max(left, 0)
                                + " for the HTTP port's connections, fewer than server.tomcat.threads.max (" + threads
                                + "). "
                                + "Raise the limit to at least " + (open + reserve + threads)
                                + " (LimitNOFILE=65536 is "
                                + "plenty, docs/operations.md), or lower the reserve only with pools and caps lowered to match.");
            }
            if (configured < 0 || configured > left) {
                return (int) Math.min(left, Integer.MAX_VALUE);
            }
            return configured;
        }

        @Override
        public String toString() {
            return "descriptor limit " + limit + " (RLIMIT_NOFILE), " + open + " open, " + reserve
                    + " kept by gbm.http.descriptor-reserve, " + left() + " left for connections";
        }
    }
}
