package com.groupbuy.market.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.junit.jupiter.api.Test;

/** No {@code spring.flyway.*} setting lets a start delete data or skip a migration. */
class MigrationSafetyConfigTest {

    @Test
    void theDefaultsPassAndCleanStaysDisabledEvenWhenAskedOff() {
        FluentConfiguration flyway = Flyway.configure().cleanDisabled(false);

        MigrationSafetyConfig.check(flyway);

        assertThat(flyway.isCleanDisabled()).isTrue();
    }

    @Test
    void settingsThatSkipMigrationsAreRefused() {
        assertThatThrownBy(() -> MigrationSafetyConfig.check(Flyway.configure().skipExecutingMigrations(true)))
                .hasMessageContaining("skip-executing-migrations");
        assertThatThrownBy(() -> MigrationSafetyConfig.check(Flyway.configure().baselineOnMigrate(true)))
                .hasMessageContaining("baseline-on-migrate");
        assertThatThrownBy(() -> MigrationSafetyConfig.check(Flyway.configure().target("12")))
                .hasMessageContaining("target=12");
        assertThatThrownBy(() -> MigrationSafetyConfig.check(Flyway.configure().ignoreMigrationPatterns("*:*")))
                .hasMessageContaining("ignore-migration-patterns");
        assertThatThrownBy(() -> MigrationSafetyConfig.check(Flyway.configure().ignoreMigrationPatterns("*:pending")))
                .hasMessageContaining("ignore-migration-patterns");
    }

    @Test
    void theDefaultIgnorePatternPasses() {
        MigrationSafetyConfig.check(Flyway.configure().ignoreMigrationPatterns("*:future"));
    }
}
