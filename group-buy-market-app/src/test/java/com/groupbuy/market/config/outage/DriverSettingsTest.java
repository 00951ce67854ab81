package com.groupbuy.market.config.outage;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * Every profile's pool pins the driver settings our statements' meaning hangs on, as data source properties (which
 * Connector/J reads before the URL's); an operator's utf8mb4 connection collation is kept, any other is cancelled.
 */
class DriverSettingsTest {

    @Test
    void everyProfilesPoolPinsTheSettings() {
        for (String profile : new String[] {"default", "dev", "prod", "test"}) {
            StatementBoundTest.shipped(profile).run(context -> {
                assertThat(context).hasNotFailed();
                Properties properties = context.getBean(HikariDataSource.class).getDataSourceProperties();
                assertThat(properties)
                        .as(profile)
                        .containsEntry("useAffectedRows", "false")
                        .containsEntry("characterEncoding", "UTF-8")
                        .containsEntry("maxRows", "0")
                        .doesNotContainKeys("connectionCollation", "characterSetResults");
            });
        }
    }

    @Test
    void anOperatorsValuesAreOverriddenInAnyCase() {
        Properties properties = pinned(
                "jdbc:mysql://h/db?useAffectedRows=true&characterEncoding=latin1&connectionCollation=latin1_swedish_ci"
                        + "&characterSetResults=latin1&maxRows=1",
                "UseAffectedRows",
                "TRUE");
        assertThat(properties)
                .containsOnlyKeys(
                        "useAffectedRows", "characterEncoding", "connectionCollation", "characterSetResults", "maxRows")
                .containsEntry("useAffectedRows", "false")
                .containsEntry("characterEncoding", "UTF-8")
                .containsEntry("connectionCollation", "")
                .containsEntry("characterSetResults", "UTF-8")
                .containsEntry("maxRows", "0");
    }

    @Test
    void aUtf8mb4CollationOrResultsOfTheOperatorsAreKept() {
        Properties properties =
                pinned("jdbc:mysql://h/db?characterSetResults=utf8mb4", "connectionCollation", "utf8mb4_unicode_ci");
        assertThat(properties).containsEntry("connectionCollation", "utf8mb4_unicode_ci");
        assertThat(properties).doesNotContainKey("characterSetResults");
    }

    @Test
    void aPoolOfAnotherDatabaseIsLeftAlone() {
        assertThat(pinned("jdbc:h2:mem:x", "maxRows", "1")).containsOnlyKeys("maxRows");
    }

    private static Properties pinned(String url, String property, String value) {
        try (HikariDataSource pool = new HikariDataSource()) {
            pool.setJdbcUrl(url);
            pool.addDataSourceProperty(property, value);
            DriverSettings.apply(pool);
            return pool.getDataSourceProperties();
        }
    }
}
