package com.groupbuy.market.outage;

import static org.assertj.core.api.Assertions.assertThat;

import com.groupbuy.market.infrastructure.trade.port.TeamPlaceReservation;
import com.groupbuy.market.support.BusyRedis;
import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.PrivateRedis;
import com.groupbuy.market.support.PrivateRedisServer;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A place script whose answer does not come within the command timeout (1 s) may still run: Redis had it, and only
 * its answer was late. Sending it again would run it twice (a release giving two places back, a join taking two).
 * Redisson's own retry did exactly that for every EVALSHA; the place scripts now run with one attempt, and only a
 * command that provably was never written is sent again. Redis is kept busy by a 2 s script from a plain socket of
 * the test's own (Redis runs one command at a time), while the service releases one place of a team.
 */
@IntegrationTest
@PrivateRedisServer
class PlaceScriptNoResendIT {

    @Autowired
    PrivateRedis redis;

    @Autowired
    TeamPlaceReservation reservation;

    @Test
    void aReleaseWhoseAnswerIsLateRunsOnceNeverTwice() throws Exception {
        String teamId = "noresend-1";
        // Three places taken (the counter seeded from the database's 3), and the scripts loaded on this Redis.
        assertThat(reservation.reserve(teamId, "o1", 5, 3, Instant.now().plusSeconds(3_600)))
                .isTrue();
        reservation.release("noresend-warm");
        assertThat(reservation.placesOf(teamId)).isEqualTo(4);

        CompletableFuture<String> busy = BusyRedis.start(redis.port());
        try {
            reservation.release(teamId);
        } catch (RuntimeException lateAnswer) {
            System.out.println("release while Redis was busy answered: " + lateAnswer);
        }
        assertThat(busy.get(30, TimeUnit.SECONDS)).isEqualTo(":1");

        assertThat(reservation.placesOf(teamId))
                .as("one release gave back one place, whatever its caller was told")
                .isEqualTo(3);
    }
}
