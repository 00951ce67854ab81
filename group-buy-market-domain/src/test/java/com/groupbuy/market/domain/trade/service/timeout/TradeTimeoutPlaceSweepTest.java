package com.groupbuy.market.domain.trade.service.timeout;

import static org.assertj.core.api.Assertions.assertThat;

import com.groupbuy.market.domain.support.OutageLog;
import com.groupbuy.market.domain.support.RunStop;
import com.groupbuy.market.domain.trade.model.entity.MemberOrderView;
import com.groupbuy.market.domain.trade.model.valobj.PaymentGrace;
import com.groupbuy.market.domain.trade.service.InMemoryTradeStore;
import com.groupbuy.market.domain.trade.service.place.RefusalLooks;
import com.groupbuy.market.domain.trade.service.place.TeamPlaceReconciler;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/**
 * The timeout job's place sweep fails within a run that completes, so the runs' failure log never saw it: during a
 * Redis outage it logged a WARN with its stack every run (every 10 s locally, and each console run). Its failures now
 * go to the app's outage log (one WARN per outage, there), which is told a sweep ran again only when one did: a run
 * whose sweep was not due proves nothing about Redis. A failure that is no outage is left to the service's own WARN.
 * The real outage: RedisOutageIT.
 */
class TradeTimeoutPlaceSweepTest {

    private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");

    /** What the next run's sweep throws (null: it runs), if it is {@link #due}. */
    private RuntimeException sweepFails;

    private boolean due = true;
    private final List<String> told = new ArrayList<>();

    /** The app's outage log as the service sees it: an IllegalStateException is an outage (Redis down). */
    private final OutageLog outages = new OutageLog() {
        @Override
        public boolean outage(RuntimeException failure) {
            boolean outage = failure instanceof IllegalStateException;
            told.add((outage ? "outage " : "other ") + failure.getMessage());
            return outage;
        }

        @Override
        public void completed() {
            told.add("completed");
        }
    };

    @Test
    void sweepsFailingForAnOutageGoToTheOutageLogAndOnlyASweepThatRanEndsIt() {
        TradeTimeoutService service = service(outages);
        sweepFails = new IllegalStateException("redis unavailable");
        for (int run = 0; run < 4; run++) {
            service.execTimeoutCloseJob();
        }
        sweepFails = null;
        due = false;
        service.execTimeoutCloseJob();
        assertThat(told)
                .as("a run whose sweep was not due is no sweep that ran")
                .containsExactly(
                        "outage redis unavailable",
                        "outage redis unavailable",
                        "outage redis unavailable",
                        "outage redis unavailable");

        due = true;
        service.execTimeoutCloseJob();
        assertThat(told).endsWith("outage redis unavailable", "completed");
    }

    @Test
    void aSweepFailureThatIsNoOutageIsLeftToTheServicesOwnWarning() {
        TradeTimeoutService service = service(outages);
        sweepFails = new IllegalArgumentException("a bug");

        service.execTimeoutCloseJob();
        service.execTimeoutCloseJob();

        assertThat(told).containsExactly("other a bug", "other a bug");
    }

    @Test
    void withoutAnOutageLogEveryFailureIsTheServicesAsBefore() {
        TradeTimeoutService service = service(OutageLog.NONE);
        sweepFails = new IllegalStateException("redis unavailable");

        service.execTimeoutCloseJob();

        assertThat(told).isEmpty();
    }

    private TradeTimeoutService service(OutageLog sweepOutages) {
        InMemoryTradeStore store = new InMemoryTradeStore() {
            @Override
            public List<String> queryOpenTeamsEndedBefore(
                    Instant endBefore, String afterTeamId, int shardIndex, int shardTotal, int limit) {
                return List.of();
            }

            @Override
            public List<MemberOrderView> queryUnpaidLockedBefore(
                    Instant lockedBefore, MemberOrderView after, int shardIndex, int shardTotal, int limit) {
                return List.of();
            }
        };
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        TeamPlaceReconciler sweeps =
                new TeamPlaceReconciler(
                        null,
                        null,
                        clock,
                        Duration.ofMinutes(2),
                        Duration.ofSeconds(30),
                        200,
                        Duration.ofMinutes(10),
                        off -> {},
                        RefusalLooks.on(n -> {}),
                        new RunStop()) {
                    @Override
                    public OptionalInt sweepIfDue(int shardIndex, int shardTotal, Instant deadline) {
                        if (!due) {
                            return OptionalInt.empty();
                        }
                        if (sweepFails != null) {
                            throw sweepFails;
                        }
                        return OptionalInt.of(0);
                    }
                };
        return new TradeTimeoutService(
                store,
                null,
                null,
                id -> {},
                clock,
                new CloseCheckPolicy(false, null, Duration.ofSeconds(60), new PaymentGrace(Duration.ZERO, Map.of())),
                Duration.ZERO,
                100,
                Duration.ofSeconds(5),
                sweeps,
                sweepOutages,
                new RunStop());
    }
}
