package com.groupbuy.market.config.outage;

import javax.sql.DataSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The service's {@code db} health component, apart from {@link OutageConfig}, which also runs without a database. */
@Configuration
public class DatabaseHealthConfig {

    /**
     * The {@code db} health component (Spring Boot's own stands back for a bean of this name): OUT_OF_SERVICE while the
     * database takes no writes, or has lately refused one for want of disk space.
     */
    @Bean
    public WritableDatabaseHealthIndicator dbHealthContributor(
            DataSource dataSource, StaleWriterEviction staleWriters, SpaceRefusals spaceRefusals) {
        return new WritableDatabaseHealthIndicator(dataSource, staleWriters, spaceRefusals);
    }
}
