package com.groupbuy.market.domain.trade.service.timeout;

import static org.assertj.core.api.Assertions.assertThat;

import com.groupbuy.market.domain.support.OutageLog;
import com.groupbuy.market.domain.support.RunStop;
import com.groupbuy.market.domain.trade.adapter.port.ITeamPlaceReservation;
import com.groupbuy.market.domain.trade.model.aggregate.Team;
import com.groupbuy.market.domain.trade.model.aggregate.TeamExpiry;
import com.groupbuy.market.domain.trade.model.valobj.NotifyRoutes;
import com.groupbuy.market.domain.trade.model.valobj.OrderStatus;
import com.groupbuy.market.domain.trade.model.valobj.PaymentGrace;
import com.groupbuy.market.domain.trade.model.valobj.TeamExpiryVO;
import com.groupbuy.market.domain.trade.model.valobj.TeamMember;
import com.groupbuy.market.domain.trade.model.valobj.TeamStatus;
import com.groupbuy.market.domain.trade.model.valobj.TimeoutRunSummary;
import com.groupbuy.market.domain.trade.service.InMemoryTradeStore;
import com.groupbuy.market.domain.trade.service.PlacesGivenBack;
import com.groupbuy.market.domain.trade.service.refund.TradeRefundService;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The timeout job's backstop for teams, over the in-memory store: a team still open past its validity end and the
 * expiry grace is failed, each unpaid lock closed with its place given back in Redis one order at a time, every
 * member's callback handed over, and the run's summary (what the backstop found late, told to the metrics) counts
 * them; a team within the grace is left open. Found by mutation testing: the job's teams were never unit-tested (both
 * timeout tests page no team), so dropping the give-back, the hand-over or the counts survived.
 */
class TradeTimeoutTeamExpiryTest {

    private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");
    private static final Duration GRACE = Duration.ofSeconds(60);

    private final InMemoryTradeStore store = new InMemoryTradeStore() {
        @Override
        public List<String> queryOpenTeamsEndedBefore(
                Instant endBefore, String afterTeamId, int shardIndex, int shardTotal, int limit) {
            return teams.values().stream()
                    .filter(t -> t.status == TeamStatus.OPEN.code() && t.validEnd.isBefore(endBefore))
                    .map(t -> t.teamId)
                    .filter(id -> afterTeamId == null || id.compareTo(afterTeamId) > 0)
                    .sorted(Comparator.naturalOrder())
                    .limit(limit)
                    .toList();
        }

        @Override
        public TeamExpiryVO expireTeam(
                String teamId, Instant endBefore, BiFunction<Team, List<TeamMember>, Optional<TeamExpiry>> decide) {
            if (failing.contains(teamId)) {
                throw new IllegalStateException("expiry of " + teamId + " failed");
            }
            return super.expireTeam(teamId, endBefore, decide);
        }
    };
    /** Teams whose expiry throws (the database refusing the write, say). */
    private final List<String> failing = new ArrayList<>();

    private final List<String> placesGivenBack = new ArrayList<>();
    private final List<Long> dispatched = new ArrayList<>();
    private final List<TimeoutRunSummary> told = new ArrayList<>();
    private TradeTimeoutService service;

    @BeforeEach
    void setUp() {
        service = service(true, Duration.ZERO);

        store.openTeam("t-due", 3, NOW.minus(GRACE).minusSeconds(1), "u1", "u2", "u3");
        store.order("u1").status = OrderStatus.PAID.code();
        store.teams.get("t-due").completeCount = 1;
        store.openTeam("t-in-grace", 3, NOW.minus(GRACE).plusSeconds(1), "u4");
    }

    @Test
    void aTeamPastItsEndAndGraceIsFailedItsUnpaidPlacesGivenBackAndEveryMemberTold() {
        TimeoutRunSummary run = service.execTimeoutCloseJob();

        assertThat(store.teams.get("t-due").status).isEqualTo(TeamStatus.FAILED.code());
        assertThat(store.order("u1").status).as("paid: kept, the mall refunds").isEqualTo(OrderStatus.PAID.code());
        assertThat(store.order("u2").status).isEqualTo(OrderStatus.CLOSED.code());
        assertThat(store.order("u3").status).isEqualTo(OrderStatus.CLOSED.code());
        assertThat(placesGivenBack).as("per order").containsExactly("t-due/o-u2", "t-due/o-u3");
        assertThat(store.tasks).hasSize(3);
        assertThat(dispatched)
                .as("each member's callback handed over")
                .hasSize(3)
                .doesNotHaveDuplicates();

        assertThat(store.teams.get("t-in-grace").status).isEqualTo(TeamStatus.OPEN.code());
        assertThat(store.order("u4").status).isEqualTo(OrderStatus.LOCKED.code());

        // The delay path is on: all the backstop closed was found late (its close checks lost or never published).
        assertThat(run).isEqualTo(new TimeoutRunSummary(1, 2, 0, 3));
        assertThat(told).containsExactly(run);
    }

    /** A team's close check (the consumer's call) fails a due team once; then it is no longer open: nothing to do. */
    @Test
    void aDueTeamsCloseCheckFailsItOnceAndThenFindsItClosed() {
        assertThat(service.checkTeamNow("t-due").failed()).isTrue();
        assertThat(placesGivenBack).containsExactly("t-due/o-u2", "t-due/o-u3");

        assertThat(service.checkTeamNow("t-due").closed()).isTrue();
        assertThat(placesGivenBack).hasSize(2);
    }

    /** A team whose expiry fails is passed over and counted skipped; the team behind it is still failed. */
    @Test
    void aTeamWhoseExpiryFailsIsSkippedAndTheTeamBehindItStillExpires() {
        store.openTeam("t-a-fails", 3, NOW.minus(GRACE).minusSeconds(5), "u5");
        failing.add("t-a-fails");

        TimeoutRunSummary run = service.execTimeoutCloseJob();

        assertThat(store.teams.get("t-a-fails").status).isEqualTo(TeamStatus.OPEN.code());
        assertThat(store.teams.get("t-due").status).isEqualTo(TeamStatus.FAILED.code());
        assertThat(run.expiredTeams()).isEqualTo(1);
        assertThat(run.skipped()).isEqualTo(1);
    }

    /**
     * The local scheduler's look while a console holds our registration: a team counts as left undone once it is
     * overdue (past its end and the grace) for longer than asked, not before.
     */
    @Test
    void aTeamIsLeftOverdueOnlyOnceOverduePastTheBound() {
        assertThat(service.leftOverdueFor(Duration.ofMillis(500)))
                .as("overdue 1 s")
                .isTrue();
        assertThat(service.leftOverdueFor(Duration.ofSeconds(2))).isFalse();
    }

    /**
     * The backstop margin holds back only a backstop: while the delay path is on, a team overdue by less than it is its
     * close check's (left open); with the delay path off the job closes on time itself, whatever margin is set, and
     * nothing it closes is "found late".
     */
    @Test
    void theBackstopMarginHoldsBackTheJobOnlyWhileTheDelayPathIsOn() {
        TimeoutRunSummary backstop = service(true, Duration.ofSeconds(30)).execTimeoutCloseJob();

        assertThat(store.teams.get("t-due").status)
                .as("overdue 1 s, inside the margin: left to its close check")
                .isEqualTo(TeamStatus.OPEN.code());
        assertThat(backstop).isEqualTo(new TimeoutRunSummary(0, 0, 0, 0));

        TimeoutRunSummary onTime = service(false, Duration.ofSeconds(30)).execTimeoutCloseJob();

        assertThat(store.teams.get("t-due").status).isEqualTo(TeamStatus.FAILED.code());
        assertThat(store.order("u2").status).isEqualTo(OrderStatus.CLOSED.code());
        assertThat(store.teams.get("t-in-grace").status).isEqualTo(TeamStatus.OPEN.code());
        assertThat(onTime).as("no delay path: nothing found late").isEqualTo(new TimeoutRunSummary(1, 2, 0, 0));
    }

    /** A team's close check, as the consumer calls it: true once for a due team, false for one in its grace. */
    @Test
    void expiringATeamNowFailsADueTeamOnceAndLeavesOneInItsGraceOpen() {
        assertThat(service.expireTeamNow("t-in-grace")).isFalse();
        assertThat(store.teams.get("t-in-grace").status).isEqualTo(TeamStatus.OPEN.code());

        assertThat(service.expireTeamNow("t-due")).isTrue();
        assertThat(store.teams.get("t-due").status).isEqualTo(TeamStatus.FAILED.code());
        assertThat(placesGivenBack).containsExactly("t-due/o-u2", "t-due/o-u3");

        assertThat(service.expireTeamNow("t-due"))
                .as("failed already: nothing to do")
                .isFalse();
        assertThat(placesGivenBack).hasSize(2);
    }

    private TradeTimeoutService service(boolean delayPath, Duration backstopMargin) {
        ITeamPlaceReservation reservation = PlacesGivenBack.recordedIn(placesGivenBack);
        // MQ on, no refund URL: every member of an expired team is owed exactly its refund event.
        TradeRefundService refunds = new TradeRefundService(
                store, reservation, dispatched::add, (s, c) -> true, new NotifyRoutes(true, Map.of(), (s, c) -> null));
        TradeTimeoutService timeouts = new TradeTimeoutService(
                store,
                refunds,
                reservation,
                dispatched::add,
                Clock.fixed(NOW, ZoneOffset.UTC),
                new CloseCheckPolicy(delayPath, null, GRACE, PaymentGrace.none()),
                backstopMargin,
                100,
                Duration.ofSeconds(5),
                null,
                OutageLog.NONE,
                new RunStop());
        timeouts.onRun(told::add);
        return timeouts;
    }
}
