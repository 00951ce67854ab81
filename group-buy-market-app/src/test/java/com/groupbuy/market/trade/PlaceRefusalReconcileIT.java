package com.groupbuy.market.trade;

import static org.assertj.core.api.Assertions.assertThat;

import com.groupbuy.market.domain.trade.adapter.port.ITeamPlaceReservation;
import com.groupbuy.market.domain.trade.model.valobj.PartnerOrderKey;
import com.groupbuy.market.infrastructure.trade.port.TeamPlaceReservation;
import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.TradeClient;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

/**
 * Issue 19 (branch sweepcost): a join Redis refuses as full while the team row has a place left makes the team be
 * looked at at once, so a counter a crash left high is corrected by the first joiner it refuses, who gets in, without
 * a sweep (the interval here is an hour); a counter that is right because the last place is in flight still refuses.
 */
@IntegrationTest
@TestPropertySource(properties = {"gbm.places.quiet-period=0s", "gbm.places.on-start=false", "gbm.places.interval=1h"})
class PlaceRefusalReconcileIT {

    private static final AtomicInteger ACTIVITY = new AtomicInteger(13900);
    private static final String RECEIVER = "http://127.0.0.1:1/cb";

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    TeamCounts counts;

    @Autowired
    TeamPlaceReservation reservation;

    @Autowired
    RedissonClient redisson;

    @Autowired
    MeterRegistry meters;

    private TradeClient mall;

    @BeforeEach
    void goods() {
        mall = TradeClient.onNewGoods(port, jdbc, ACTIVITY.incrementAndGet(), RECEIVER);
    }

    @Test
    void theFirstJoinerACounterLeftHighRefusesGetsInAndTheCounterIsCorrected() throws Exception {
        String teamId = mall.team("a1", "a2");
        // A kill -9 between a refund's commit and its release: the counter says full, the team row has a place.
        redisson.getMap(reservation.key(teamId), StringCodec.INSTANCE).addAndGet("n", 1);
        double looks = count("gbm.team.places.refusal.looks");
        double high = corrections("high");

        assertThat(mall.lock("a3", teamId).path("code").asText()).isEqualTo("0000");

        assertThat(count("gbm.team.places.refusal.looks") - looks).isEqualTo(1.0);
        assertThat(corrections("high") - high).isEqualTo(1.0);
        assertThat(counts.lockCount(teamId)).isEqualTo(3);
        assertThat(counts.redisPlaces(teamId)).isEqualTo(3);
    }

    @Test
    void aJoinRefusedBecauseTheLastPlaceIsInFlightStaysRefusedAndThatPlaceIsKept() throws Exception {
        String teamId = mall.team("b1", "b2");
        String live = ITeamPlaceReservation.holder(new PartnerOrderKey("s01", "c01", "b-live", "out-b-live"));
        assertThat(reservation.reserve(teamId, live, 3, 2, Instant.now().plus(10, ChronoUnit.MINUTES)))
                .isTrue();
        double high = corrections("high");

        assertThat(mall.lock("b3", teamId).path("code").asText()).isEqualTo("E0008");

        assertThat(corrections("high") - high).isZero();
        assertThat(counts.redisPlaces(teamId)).as("the place in flight is kept").isEqualTo(3);
        assertThat(counts.lockCount(teamId)).isEqualTo(2);
    }

    private double count(String name) {
        var counter = meters.find(name).counter();
        return counter == null ? 0 : counter.count();
    }

    private double corrections(String direction) {
        var counter = meters.find("gbm.team.places.corrections")
                .tag("direction", direction)
                .counter();
        return counter == null ? 0 : counter.count();
    }
}
