package com.groupbuy.market.infrastructure.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.groupbuy.market.infrastructure.trade.port.TeamPlaceReservation;
import java.time.Clock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;

/**
 * Key names of the team place scripts: unchanged on a single node (an upgrade in place finds its live teams'
 * counters and release markers), and in cluster mode every key of one team's script in the team's hash tag.
 */
class RedisKeysTest {

    /** Never connects (lazy initialization): the reservation only needs it to build its script handle. */
    private final RedissonClient unconnected = Redisson.create(lazyConfig());

    @AfterEach
    void shutdown() {
        unconnected.shutdown();
    }

    @Test
    void singleNodeKeepsTheKeyNamesOfEarlierVersions() {
        TeamPlaceReservation reservation = reservation(new RedisKeys("gbm:", false));

        assertThat(reservation.key("12345678")).isEqualTo("gbm:team:place-holds:12345678");
        assertThat(reservation.releasedKey("12345678", "900000000001")).isEqualTo("gbm:released:900000000001");
    }

    @Test
    void clusterModePutsEveryKeyOfATeamsScriptInTheTeamsHashTag() {
        TeamPlaceReservation reservation = reservation(new RedisKeys("gbm:", true));

        assertThat(reservation.key("12345678")).isEqualTo("gbm:team:place-holds:{12345678}");
        assertThat(reservation.releasedKey("12345678", "900000000001"))
                .isEqualTo("gbm:released:{12345678}:900000000001");
    }

    @Test
    void clusterModeRefusesABraceInThePrefix() {
        assertThatThrownBy(() -> new RedisKeys("{gbm}:", true)).isInstanceOf(IllegalArgumentException.class);
        assertThat(new RedisKeys("{gbm}:", false).key("a")).isEqualTo("{gbm}:a");
    }

    private TeamPlaceReservation reservation(RedisKeys keys) {
        return new TeamPlaceReservation(unconnected, keys, Clock.systemUTC(), null);
    }

    private static Config lazyConfig() {
        Config config = new Config();
        config.setLazyInitialization(true);
        config.useSingleServer().setAddress("redis://127.0.0.1:1");
        return config;
    }
}
