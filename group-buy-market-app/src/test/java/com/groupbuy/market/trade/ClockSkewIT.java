package com.groupbuy.market.trade;

import static org.assertj.core.api.Assertions.assertThat;

import com.groupbuy.market.domain.outbox.model.valobj.NotifyTaskVO;
import com.groupbuy.market.domain.outbox.service.DueCallbackDeliveryService;
import com.groupbuy.market.domain.trade.service.place.TeamPlaceReconciler;
import com.groupbuy.market.domain.trade.service.timeout.TradeTimeoutService;
import com.groupbuy.market.infrastructure.outbox.repository.NotifyTaskStore;
import com.groupbuy.market.infrastructure.trade.port.TeamPlaceReservation;
import com.groupbuy.market.notify.NotifyTaskFixture;
import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.PartnerReceiver;
import com.groupbuy.market.support.TradeClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.junit.jupiter.api.Test;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

/**
 * The instances' clock against the database's, each test with the instances' clock moved against it (the system's,
 * which the local database shares).
 * <p>
 * Whose clock says when a lock was taken: the instances' clocks agree with each other but run ahead of the database's
 * (here by five minutes; an NTP step or a database host off by that much). The polling job (MQ off: it closes on time)
 * measured a lock's age from the row's {@code create_time}, stamped by the database, against the instance's clock, so
 * it closed a lock that the instance had taken six minutes before, four minutes inside its ten-minute unpaid timeout,
 * while the lock's own close check (and the team's start) were the instance's time; the buyer's payment then answered
 * {@code E0208} "refund the buyer". The lock time is now the lock's own instant, the one its team and close check use.
 */
@IntegrationTest
@Import(ClockSkewIT.Shifted.class)
@TestPropertySource(properties = {"gbm.mq.enabled=false", "gbm.timeout.unpaid-timeout=10m"})
class ClockSkewIT {

    /** The instances' clock: the system's (the database's) plus an offset the test moves. */
    static final class ShiftedClock extends Clock {
        volatile Duration offset = Duration.ZERO;

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Instant instant() {
            return Instant.now().plus(offset);
        }
    }

    static final ShiftedClock CLOCK = new ShiftedClock();

    @TestConfiguration(proxyBeanMethods = false)
    static class Shifted {
        @Bean
        @Primary
        Clock shiftedClock() {
            return CLOCK;
        }
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    TeamCounts counts;

    @Autowired
    TradeTimeoutService timeoutService;

    @Autowired
    TeamPlaceReconciler reconciler;

    @Autowired
    TeamPlaceReservation reservation;

    @Autowired
    RedissonClient redisson;

    @Autowired
    NotifyTaskStore store;

    @Autowired
    DueCallbackDeliveryService notifyService;

    private static String utc8(Instant at) {
        return DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
                .withZone(ZoneId.of("Asia/Shanghai"))
                .format(at);
    }

    @Test
    void aLockIsAsOldAsTheInstanceSaysNotAsTheDatabasesClockSays() throws Exception {
        CLOCK.offset = Duration.ofMinutes(5);
        try {
            TradeClient mall = TradeClient.onNewGoods(port, jdbc, 9401, "http://127.0.0.1:9/callback");
            mall.team("k1");
            mall.team("k2");

            CLOCK.offset = Duration.ofMinutes(11);
            timeoutService.execTimeoutCloseJob();
            assertThat(counts.orderStatus("k1"))
                    .as("locked six minutes ago by the instances' clock: four minutes of its ten left")
                    .isEqualTo(0);
            assertThat(mall.settle("k1", utc8(CLOCK.instant())).path("code").asText())
                    .as("the buyer pays inside the timeout")
                    .isEqualTo("0000");

            CLOCK.offset = Duration.ofMinutes(16);
            timeoutService.execTimeoutCloseJob();
            assertThat(counts.orderStatus("k2"))
                    .as("eleven minutes by the instances' clock: closed")
                    .isEqualTo(2);
        } finally {
            CLOCK.offset = Duration.ZERO;
        }
    }

    /**
     * The place reconciler leaves a team whose row changed in the last quiet period (30 s) alone. The row's
     * {@code update_time} is the database's stamp, and it was compared with the instance's clock: with the instances
     * five minutes behind the database, every team looked changed "just now" for five minutes after its last change,
     * and a counter left high (a crash between a refund's commit and its release) refused joiners a place that exists
     * that long, though the quiet period is 30 s. The row's age is now the database's own.
     */
    @Test
    void aTeamUnchangedForLongerThanTheQuietPeriodByTheDatabasesClockIsCorrected() throws Exception {
        CLOCK.offset = Duration.ofMinutes(-5);
        try {
            TradeClient mall = TradeClient.onNewGoods(port, jdbc, 9402, "http://127.0.0.1:9/callback");
            String teamId = mall.team("q1", "q2");
            jdbc.update(
                    "UPDATE group_buy_order SET update_time = UTC_TIMESTAMP(3) - INTERVAL 1 MINUTE WHERE team_id = ?",
                    teamId);
            // One place too many, none in flight: what a kill -9 between a refund's commit and its release leaves.
            redisson.getMap(reservation.key(teamId), StringCodec.INSTANCE).addAndGet("n", 1);

            assertThat(reconciler.reconcileTeam(teamId))
                    .as("unchanged for a minute by the database's clock: past the 30 s quiet period")
                    .isEqualTo(1);
            assertThat(counts.redisPlaces(teamId)).isEqualTo(2);
        } finally {
            CLOCK.offset = Duration.ZERO;
        }
    }

    /**
     * A callback lease is one instance's and judged by the others. Its end was the claimant's clock plus the lease,
     * and the others compared it with their own clocks: an instance two minutes ahead took a lease written a moment
     * before (one minute long) at once and sent the callback while its holder was sending it too, and an instance took
     * at once the lease of one two minutes behind it. Both lengths and tests are now the database's clock.
     */
    @Test
    void aLiveLeaseIsNotTakenByAnInstanceAheadOfItsHolderNorFromAnInstanceBehind() throws Exception {
        try (PartnerReceiver partner = new PartnerReceiver()) {
            NotifyTaskFixture tasks = new NotifyTaskFixture(jdbc);
            String heldByA = tasks.dueTask(partner.url());
            String heldByBehind = tasks.dueTask(partner.url());
            // Due for five minutes, so due by every clock here.
            jdbc.update("UPDATE notify_task SET next_attempt_time = UTC_TIMESTAMP(3) - INTERVAL 5 MINUTE");
            Instant now = Instant.now();
            NotifyTaskVO a = store.claim(taskId(heldByA), "instance-a", now, now.plusSeconds(60), false);
            Instant behind = now.minus(Duration.ofMinutes(2));
            NotifyTaskVO b = store.claim(taskId(heldByBehind), "instance-b", behind, behind.plusSeconds(60), false);
            assertThat(a).isNotNull();
            assertThat(b).isNotNull();

            CLOCK.offset = Duration.ofMinutes(2);
            notifyService.deliverAllDue();
            CLOCK.offset = Duration.ZERO;
            notifyService.deliverAllDue();

            assertThat(partner.received())
                    .as("each callback is its lease holder's to send for the lease's minute, whatever the clocks")
                    .isEmpty();
            assertThat(claimToken(heldByA)).isEqualTo(a.getClaimToken());
            assertThat(claimToken(heldByBehind)).isEqualTo(b.getClaimToken());

            // An instance two minutes ahead leases for a minute of the database's clock, not three.
            String leasedAhead = tasks.dueTask(partner.url());
            Instant ahead = now.plus(Duration.ofMinutes(2));
            assertThat(store.claim(taskId(leasedAhead), "instance-c", ahead, ahead.plusSeconds(60), false))
                    .isNotNull();
            assertThat(jdbc.queryForObject(
                            "SELECT TIMESTAMPDIFF(SECOND, UTC_TIMESTAMP(3), claim_until) FROM notify_task"
                                    + " WHERE team_id = ?",
                            Long.class,
                            leasedAhead))
                    .isBetween(50L, 60L);

            // Once a lease has ended by the database's clock, the task is anyone's: delivered once.
            jdbc.update(
                    "UPDATE notify_task SET claim_until = UTC_TIMESTAMP(3) - INTERVAL 1 SECOND WHERE team_id = ?",
                    heldByA);
            notifyService.deliverAllDue();
            assertThat(partner.received()).hasSize(1);
        } finally {
            CLOCK.offset = Duration.ZERO;
        }
    }

    /**
     * A place reserved in Redis for a lock still on its way is stamped with the time it was taken, and the reconciler
     * drops a holder older than {@code gbm.places.stale-after} (2 min) that has no order row (its process died). The
     * stamp was the reserving instance's clock and the age the reconciling instance's: a reconciler 3 min ahead of the
     * reserving instance took a reservation made a moment before for a dead one and gave its place away (the counter
     * lowered while the lock was still being written). Both are now Redis's clock.
     */
    @Test
    void aPlaceReservedOnAnInstanceBehindIsNotTakenForADeadOneByAReconcilerAhead() throws Exception {
        try {
            TradeClient mall = TradeClient.onNewGoods(port, jdbc, 9403, "http://127.0.0.1:9/callback");
            String teamId = mall.team("s1");
            jdbc.update(
                    "UPDATE group_buy_order SET update_time = UTC_TIMESTAMP(3) - INTERVAL 1 MINUTE WHERE team_id = ?",
                    teamId);
            CLOCK.offset = Duration.ofMinutes(-3);
            String inFlight = "s01:c01:s2:out-s2";
            assertThat(reservation.reserve(teamId, inFlight, 3, 1, Instant.now().plus(Duration.ofMinutes(10))))
                    .isTrue();

            CLOCK.offset = Duration.ZERO;
            assertThat(reconciler.reconcileTeam(teamId))
                    .as("reserved a moment ago: a lock in flight, not a dead one")
                    .isZero();
            assertThat(counts.redisPlaces(teamId)).isEqualTo(2);
        } finally {
            CLOCK.offset = Duration.ZERO;
        }
    }

    private long taskId(String teamId) {
        return jdbc.queryForObject("SELECT id FROM notify_task WHERE team_id = ?", Long.class, teamId);
    }

    private String claimToken(String teamId) {
        return jdbc.queryForObject("SELECT claim_token FROM notify_task WHERE team_id = ?", String.class, teamId);
    }
}
