package com.groupbuy.market.outage;

import static org.assertj.core.api.Assertions.assertThat;

import com.groupbuy.market.domain.trade.adapter.port.ITeamPlaceReservation.OpenedTeam;
import com.groupbuy.market.infrastructure.trade.port.TeamPlaceReservation;
import com.groupbuy.market.support.BusyRedis;
import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.PrivateRedis;
import com.groupbuy.market.support.PrivateRedisServer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
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

    @Autowired
    RedissonClient redisson;

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

    /**
     * The join's script too: answered late, it ran once. Sent twice it would count the order's attempt twice (see
     * below), and its one cancel would then leave the place held.
     */
    @Test
    void aJoinWhoseAnswerIsLateHoldsOnePlaceForItsOrderOnce() throws Exception {
        String teamId = "noresend-2";
        Instant end = Instant.now().plusSeconds(3_600);
        assertThat(reservation.reserve(teamId, "o1", 5, 1, end)).isTrue();
        assertThat(reservation.placesOf(teamId)).isEqualTo(2);

        CompletableFuture<String> busy = BusyRedis.start(redis.port());
        try {
            reservation.reserve(teamId, "o2", 5, 1, end);
        } catch (RuntimeException lateAnswer) {
            System.out.println("join while Redis was busy answered: " + lateAnswer);
        }
        assertThat(busy.get(30, TimeUnit.SECONDS)).isEqualTo(":1");

        assertThat(reservation.placesOf(teamId)).as("one place taken").isEqualTo(3);
        assertThat(attempts(teamId, "o2"))
                .as("one attempt of the order counted")
                .isEqualTo("1");
        reservation.cancel(teamId, "o2");
        assertThat(reservation.placesOf(teamId))
                .as("its one cancel gives the place back")
                .isEqualTo(2);
    }

    /**
     * Each place script the service sends, run twice for the same order on this Redis: what a resend would do. A
     * join's counts its team's place once (no team above its target), but the order's attempts twice, so it must
     * never be sent again after a late answer (above); the order's give-back and a cancel of its one attempt count
     * once; an opening's counter is made once; a reconcile run again changes nothing. The team-wide release (tests
     * only, no flow sends it) gives two places back: it too is never sent again (the first test).
     */
    @Test
    void eachPlaceScriptRunTwiceForOneOrderCountsItsPlaceOnce() {
        String teamId = "twice-1";
        Instant end = Instant.now().plusSeconds(3_600);
        reservation.countOpened(List.of(new OpenedTeam(teamId, "opening", end)));
        reservation.countOpened(List.of(new OpenedTeam(teamId, "opening", end)));
        assertThat(reservation.placesOf(teamId)).as("the opening counted once").isEqualTo(1);

        assertThat(reservation.reserve(teamId, "o1", 3, 1, end)).isTrue();
        assertThat(reservation.reserve(teamId, "o1", 3, 1, end)).isTrue();
        assertThat(reservation.placesOf(teamId)).as("one place for o1").isEqualTo(2);
        assertThat(attempts(teamId, "o1")).as("but two attempts counted").isEqualTo("2");
        assertThat(reservation.reserve(teamId, "o2", 3, 1, end)).isTrue();
        assertThat(reservation.reserve(teamId, "o3", 3, 1, end))
                .as("the team at its target")
                .isFalse();

        reservation.cancel(teamId, "o2");
        reservation.cancel(teamId, "o2");
        assertThat(reservation.placesOf(teamId)).as("o2's one place back, once").isEqualTo(2);

        assertThat(reservation.releaseOrder(teamId, "o1")).isTrue();
        assertThat(reservation.releaseOrder(teamId, "o1")).isFalse();
        assertThat(reservation.placesOf(teamId)).as("o1's place back once").isEqualTo(1);

        assertThat(reservation.reconcile(teamId, 1, List.of("o1"), List.of("o1"), Duration.ofHours(1)))
                .isZero();
        assertThat(reservation.reconcile(teamId, 1, List.of("o1"), List.of("o1"), Duration.ofHours(1)))
                .isZero();
        assertThat(reservation.placesOf(teamId)).isEqualTo(1);

        reservation.release(teamId);
        assertThat(reservation.placesOf(teamId)).isZero();
    }

    private String attempts(String teamId, String holder) {
        Object n =
                redisson.getMap(reservation.key(teamId), StringCodec.INSTANCE).get("h:" + holder);
        return n == null ? null : n.toString();
    }
}
