package com.groupbuy.market.config;

import com.xxl.job.core.executor.impl.XxlJobSpringExecutor;
import lombok.extern.slf4j.Slf4j;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.env.Profiles;

/**
 * The XXL-Job executor operators drive our jobs through (xxl-job-core 3.2.0 has no auto-configuration). Its /run
 * endpoint executes scripts for whoever holds the token, so prod refuses an empty or default token, and the
 * executor binds to the configured address.
 */
@Slf4j
@Configuration
@ConditionalOnProperty(prefix = "xxl.job.executor", name = "enabled", havingValue = "true", matchIfMissing = true)
public class XxlJobConfig {

    static final String DEFAULT_TOKEN = "default_token";

    @Bean
    public XxlJobSpringExecutor xxlJobExecutor(Environment environment,
                                               @Value("${xxl.job.admin.addresses:}") String adminAddresses,
                                               @Value("${xxl.job.admin.accessToken:default_token}") String accessToken,
                                               @Value("${xxl.job.admin.timeout:3}") int timeout,
                                               @Value("${xxl.job.executor.appname:group-buy-market-executor}") String appname,
                                               @Value("${xxl.job.executor.address:}") String address,
                                               @Value("${xxl.job.executor.ip:127.0.0.1}") String ip,
                                               @Value("${xxl.job.executor.port:9999}") int port,
                                               @Value("${xxl.job.executor.logpath:./logs/xxl-job}") String logPath,
                                               @Value("${xxl.job.executor.logretentiondays:30}") int logRetentionDays) {
        if (environment.acceptsProfiles(Profiles.of("prod"))
                && (accessToken == null || accessToken.isBlank() || DEFAULT_TOKEN.equals(accessToken))) {
            throw new IllegalStateException("xxl.job.admin.accessToken must be set to a secret in prod: whoever holds "
                    + "the token can run scripts through the executor");
        }
        XxlJobSpringExecutor executor = new XxlJobSpringExecutor();
        executor.setAdminAddresses(adminAddresses);
        executor.setAccessToken(accessToken);
        executor.setTimeout(timeout);
        executor.setAppname(appname);
        executor.setAddress(address);
        executor.setIp(ip);
        executor.setPort(port);
        executor.setLogPath(logPath);
        executor.setLogRetentionDays(logRetentionDays);
        log.info("xxl-job executor {} on {}:{} (admin: {})", appname, ip, port,
                adminAddresses.isBlank() ? "none; local scheduler drives retries" : adminAddresses);
        return executor;
    }
}
