package com.groupbuy.market.config;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.flywaydb.core.api.MigrationState;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.springframework.boot.autoconfigure.flyway.FlywayConfigurationCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The start's schema migration can only add what the code needs, never delete or skip it, whatever {@code
 * spring.flyway.*} says (docs/operations.md, "Upgrading"). Clean stays disabled (Boot's default; pinned here so no
 * property or environment variable can turn it on), and a start refuses the settings that would record migrations as
 * applied without running them, or run the code on a schema it was not written for: a skipped data rewrite (V13's
 * takes) is a user past the take limit.
 */
@Configuration(proxyBeanMethods = false)
public class MigrationSafetyConfig {

    @Bean
    FlywayConfigurationCustomizer migrationSafety() {
        return MigrationSafetyConfig::check;
    }

    static void check(FluentConfiguration flyway) {
        flyway.cleanDisabled(true);
        List<String> problems = new ArrayList<>();
        if (flyway.isSkipExecutingMigrations()) {
            problems.add("spring.flyway.skip-executing-migrations records pending migrations as applied without"
                    + " running them (their data rewrites never happen)");
        }
        if (flyway.isBaselineOnMigrate()) {
            problems.add("spring.flyway.baseline-on-migrate marks a database without schema history as at the"
                    + " baseline version and never runs the migrations up to it; restore flyway_schema_history with"
                    + " the tables instead");
        }
        MigrationVersion target = flyway.getTarget();
        if (target != null && !MigrationVersion.LATEST.equals(target)) {
            problems.add("spring.flyway.target=" + target + " leaves this version's migrations unapplied; the code"
                    + " needs the latest schema");
        }
        if (Arrays.stream(flyway.getIgnoreMigrationPatterns())
                .anyMatch(p -> p.matchesMigration(true, MigrationState.PENDING))) {
            problems.add("spring.flyway.ignore-migration-patterns ignores pending migrations: the code would run on a"
                    + " schema without them");
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException("refusing to migrate the schema: " + String.join("; ", problems));
        }
    }
}
