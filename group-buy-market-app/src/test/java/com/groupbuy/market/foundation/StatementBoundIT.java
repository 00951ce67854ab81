package com.groupbuy.market.foundation;

import static org.assertj.core.api.Assertions.assertThat;

import com.groupbuy.market.support.SharedContextIntegrationTest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Statements are bounded by MariaDB (max_statement_time on every pooled connection) rather than by the driver's
 * per-statement timer; migrations run on a connection of their own that carries no bound.
 */
@SharedContextIntegrationTest
class StatementBoundIT {

    @Autowired
    DataSource dataSource;

    @Autowired
    Flyway flyway;

    @Test
    void everyPooledConnectionCarriesTheTenSecondBound() throws Exception {
        List<Connection> held = new ArrayList<>();
        try {
            for (int i = 0; i < 8; i++) {
                held.add(dataSource.getConnection());
            }
            for (Connection connection : held) {
                assertThat(maxStatementTime(connection)).isEqualTo(10.0);
            }
        } finally {
            for (Connection connection : held) {
                connection.close();
            }
        }
    }

    @Test
    void migrationsUseTheirOwnConnectionWithoutTheBound() throws Exception {
        DataSource migrations = flyway.getConfiguration().getDataSource();

        assertThat(migrations).isNotSameAs(dataSource);
        try (Connection connection = migrations.getConnection()) {
            assertThat(maxStatementTime(connection)).isZero();
        }
    }

    private static double maxStatementTime(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT @@SESSION.max_statement_time")) {
            rs.next();
            return rs.getDouble(1);
        }
    }
}
