package com.groupbuy.market.config;

import com.groupbuy.market.config.xxljob.BeanOnlyXxlJobExecutor;
import com.groupbuy.market.config.xxljob.ExecutorAccessToken;
import com.groupbuy.market.config.xxljob.ExecutorSettings;
import com.groupbuy.market.infrastructure.outage.RedisOutages;
import com.groupbuy.market.infrastructure.redis.RedisKeys;
import com.groupbuy.market.trigger.http.admin.AdminAuthLimit;
import java.nio.file.Path;
import lombok.extern.slf4j.Slf4j;
import org.redisson.api.RedissonClient;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * The XXL-Job executor operators drive our jobs through (xxl-job-core 3.2.0 has no auto-configuration). Whoever
 * holds its token can trigger our jobs, so it runs BEAN handlers only, listens on the configured address only, gets
 * a random token outside prod when none is set, and prod refuses to start with a weak one.
 */
@Slf4j
@Configuration
@ConditionalOnProperty(prefix = "xxl.job.executor", name = "enabled", havingValue = "true", matchIfMissing = true)
public class XxlJobConfig {

    /**
     * Wrong access tokens presented to the executor are counted like wrong admin tokens ({@code gbm.console.login.*},
     * the same code and limits) in counters of their own ({@code executor:token-failures:…}): guessing one secret
     * never locks out the callers of the other. The console's address presents the right token on every call, so the
     * limit of all addresses does not lock it out. While Redis cannot answer, this instance counts alone
     * ({@link FallbackAuthLimit}): the right token still runs jobs, guesses stay bounded.
     */
    @Bean
    public AdminAuthLimit executorTokenLimit(
            RedissonClient redisson, RedisKeys keys, RedisOutages outages, ConsoleLoginLimitProperties limits) {
        return new FallbackAuthLimit(
                new RedisAuthLimit(redisson, keys, outages, limits, "executor", "token-failures"),
                new LocalAuthLimit(limits, System::currentTimeMillis));
    }

    @Bean
    public BeanOnlyXxlJobExecutor xxlJobExecutor(
            @Qualifier("executorTokenLimit") AdminAuthLimit executorTokenLimit,
            Environment environment,
            @Value("${xxl.job.admin.addresses:}") String adminAddresses,
            @Value("${xxl.job.admin.accessToken:}") String accessToken,
            @Value("${xxl.job.admin.timeout:3}") int timeout,
            @Value("${xxl.job.executor.appname:group-buy-market-executor}") String appname,
            @Value("${xxl.job.executor.address:}") String address,
            @Value("${xxl.job.executor.ip:127.0.0.1}") String ip,
            @Value("${xxl.job.executor.port:9999}") int port,
            @Value("${xxl.job.executor.logpath:./logs/xxl-job}") String logPath,
            @Value("${xxl.job.executor.logretentiondays:30}") int logRetentionDays,
            XxlJobExecutorProperties executor,
            @Value("${gbm.embedded.data-dir:./data}") String dataDir) {
        ProductionSecretsGuard.refuseWeakExecutorToken(environment, accessToken);
        if (ip == null || ip.isBlank()) {
            throw new IllegalStateException("xxl.job.executor.ip (XXL_JOB_EXECUTOR_IP) must name the address the "
                    + "executor listens on, e.g. 127.0.0.1 or this host's private address");
        }
        String token = ExecutorAccessToken.resolve(accessToken, Path.of(dataDir));
        return new BeanOnlyXxlJobExecutor(
                new ExecutorSettings(
                        adminAddresses.trim(),
                        token,
                        timeout,
                        appname,
                        address,
                        ip.trim(),
                        port,
                        logPath,
                        logRetentionDays,
                        executor.getRegistryInterval(),
                        executor.getMaxConnections()),
                executorTokenLimit);
    }

    /**
     * {@code OUT_OF_SERVICE} while a console is configured but does not accept our registration: nobody triggers
     * our jobs then (the local schedulers do), and an operator must fix the token or the console.
     */
    @Bean
    public HealthIndicator xxlJobHealthIndicator(BeanOnlyXxlJobExecutor executor) {
        return () -> {
            if (executor.registration() == null) {
                return Health.unknown().withDetail("executor", "not started").build();
            }
            var status = executor.registration().status();
            Health.Builder health =
                    !status.consoleConfigured() || status.registered() ? Health.up() : Health.outOfService();
            return health.withDetail("console", status.consoleConfigured() ? "configured" : "none")
                    .withDetail("registration", status.detail())
                    .build();
        };
    }
}
