package com.groupbuy.market.trade;

import static org.assertj.core.api.Assertions.assertThat;

import com.groupbuy.market.activity.MarketConfigFixture;
import com.groupbuy.market.domain.trade.adapter.repository.ITeamPlaceRepository;
import com.groupbuy.market.support.IntegrationTest;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

/**
 * A team's place look holds the team's row lock, in a read-only transaction, while it asks Redis; MariaDB's {@code
 * idle_transaction_timeout} (a DBA's guard, here set for our sessions only) kills a session idle inside a transaction
 * that long, so a slow Redis call there lost the session and the look's commit failed. The look is an auxiliary one (a
 * refused join's, the sweep's) and wrote nothing to the database: it is skipped, as a lock not had is, and never turns
 * the join's refusal into an error. Failed on main: the commit's {@code RecoverableDataAccessException}
 * ("Communications link failure", "Connection reset by peer") was thrown.
 */
@IntegrationTest
@TestPropertySource(
        properties = {
            "spring.datasource.hikari.data-source-properties.sessionVariables=max_statement_time=10,"
                    + "idle_transaction_timeout=1",
            "gbm.places.on-start=false"
        })
class PlaceLookSessionKilledIT {

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    ITeamPlaceRepository places;

    @Test
    void aLookWhoseSessionTheServerKilledIsSkippedNotAnError() {
        String team = "k" + (1_000_000 + ThreadLocalRandom.current().nextInt(8_000_000));
        new MarketConfigFixture(jdbc)
                .team(team, 1L, "u1", 1, 0, 0, Instant.now().plus(Duration.ofHours(1)));

        Integer killed = places.underTeamLock(team, look -> {
            try {
                Thread.sleep(2_500); // the Redis call, slower than the server's idle guard
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return look.lockCount();
        });

        assertThat(killed).isNull();
        // The pool has dropped the killed session: the next look is served.
        assertThat(places.<Integer>underTeamLock(team, look -> look.lockCount()))
                .isEqualTo(1);
    }
}
