package com.groupbuy.market.domain.trade.service.place;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.groupbuy.market.domain.support.RunStop;
import com.groupbuy.market.domain.trade.adapter.port.ITeamPlaceReservation;
import com.groupbuy.market.domain.trade.adapter.repository.ITeamPlaceRepository;
import com.groupbuy.market.domain.trade.model.valobj.LockedTeamPlacesVO;
import com.groupbuy.market.domain.trade.model.valobj.OpenTeamPlacesVO;
import com.groupbuy.market.domain.trade.model.valobj.OpenTeamsPosition;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The reconciler's decisions over in-memory teams and counters: which teams it looks at closer (only those whose
 * counter differs from the lock count), which it leaves (quiet period), that it pages in (validity end, row id) order
 * past every team, and that a sweep cut by its deadline goes on from there at the next due run instead of starting
 * over, so a counter a crash left high is corrected within a bounded number of runs.
 */
class TeamPlaceReconcilerTest {

    private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");
    private static final Duration INTERVAL = Duration.ofSeconds(60);

    private final TickingClock clock = new TickingClock(NOW);
    private final Teams teams = new Teams(clock);
    private final Counters counters = new Counters();
    private final List<Integer> corrections = new ArrayList<>();
    /** Each look taken after a refused join. */
    private final List<Integer> looks = new ArrayList<>();

    private final RunStop stop = new RunStop();

    private TeamPlaceReconciler reconciler(int pageSize) {
        return reconciler(Duration.ofMinutes(2), Duration.ofSeconds(30), pageSize);
    }

    private TeamPlaceReconciler reconciler(Duration staleAfter, Duration quietPeriod, int pageSize) {
        return reconciler(staleAfter, quietPeriod, pageSize, RefusalLooks.on(looks::add));
    }

    private TeamPlaceReconciler reconciler(
            Duration staleAfter, Duration quietPeriod, int pageSize, RefusalLooks refusalLooks) {
        return new TeamPlaceReconciler(
                teams,
                counters,
                clock,
                staleAfter,
                quietPeriod,
                pageSize,
                INTERVAL,
                corrections::add,
                refusalLooks,
                stop);
    }

    /**
     * Settings no sweep can serve stop the start, naming the setting. A page of 0 read nothing yet was never the last
     * page: the sweep re-ran its empty query until its deadline and checked no team (a negative page was an SQL error
     * at every run). A stale-after of a few milliseconds (a bare number) counts a lock still being written as dead, and
     * a negative quiet period corrects a team whose refund's release is on its way.
     */
    @Test
    void settingsNoSweepCanServeAreRefusedAtStart() {
        for (int page : List.of(0, -1, 10_001)) {
            assertThatThrownBy(() -> reconciler(page))
                    .as("page %d", page)
                    .hasMessageContaining("gbm.places.page-size must be 1..10000, was " + page);
        }
        for (Duration stale :
                List.of(Duration.ZERO, Duration.ofMillis(2), Duration.ofSeconds(-1), Duration.ofSeconds(14))) {
            assertThatThrownBy(() -> reconciler(stale, Duration.ofSeconds(30), 200))
                    .as("stale-after %s", stale)
                    .hasMessageContaining("gbm.places.stale-after must be at least 15 s");
        }
        assertThatThrownBy(() -> reconciler(Duration.ofMinutes(2), Duration.ofSeconds(-1), 200))
                .hasMessageContaining("gbm.places.quiet-period must be zero or positive");
        assertThat(reconciler(Duration.ofSeconds(15), Duration.ZERO, 1)).isNotNull();
    }

    @Test
    void aCounterLeftHighIsCorrectedAndOnlyTeamsThatDifferAreLockedToLookCloser() {
        for (int i = 1; i <= 25; i++) {
            teams.open(i, "t" + i, 1, NOW.plusSeconds(600 + i));
            counters.set("t" + i, 1);
        }
        counters.set("t7", 2); // a refund committed and its process died before the release
        counters.remove("t9"); // Redis lost it: seeded from the database at the next reservation, nothing to fix

        int corrected = reconciler(10).reconcile(0, 1, NOW.plusSeconds(30));

        assertThat(corrected).isEqualTo(1);
        assertThat(counters.of("t7")).isEqualTo(1);
        assertThat(corrections).containsExactly(1);
        assertThat(teams.locked).containsExactly("t7");
        assertThat(teams.pagesRead).as("25 teams in pages of 10").isEqualTo(3);
    }

    @Test
    void theTeamsClosedOrdersAreGivenToTheCorrectionSoAGiveBackStillOwedIsVoid() {
        teams.open(1, "t1", 1, NOW.plusSeconds(600));
        teams.rows.get("t1").closedOrderIds = List.of("o-refunded", "o-closed");
        counters.set("t1", 2); // the refund of o-refunded committed, its release failed

        assertThat(reconciler(10).reconcile(0, 1, NOW.plusSeconds(30))).isEqualTo(1);

        assertThat(counters.of("t1")).isEqualTo(1);
        assertThat(counters.released.get("t1")).containsExactly("o-refunded", "o-closed");
    }

    @Test
    void aTeamWhoseRowJustChangedIsLeftToTheNextRun() {
        teams.open(1, "t1", 1, NOW.plusSeconds(600));
        teams.rows.get("t1").updatedAt = NOW.minusSeconds(5); // a refund just committed: its release is on its way
        counters.set("t1", 2);

        assertThat(reconciler(10).reconcile(0, 1, NOW.plusSeconds(30))).isZero();

        assertThat(counters.of("t1")).isEqualTo(2);
        assertThat(teams.locked).containsExactly("t1");
    }

    @Test
    void pagesFollowTheValidityEndThenTheRowIdAndReachEveryTeam() {
        // Row ids do not follow validity ends (activities of different lengths); equal ends are told apart by id.
        teams.open(1, "late", 1, NOW.plusSeconds(900));
        teams.open(2, "early", 1, NOW.plusSeconds(100));
        teams.open(3, "sameA", 1, NOW.plusSeconds(500));
        teams.open(4, "sameB", 1, NOW.plusSeconds(500));
        teams.open(5, "ended", 1, NOW.minusSeconds(1));
        for (String id : List.of("late", "early", "sameA", "sameB", "ended")) {
            counters.set(id, 2);
        }

        assertThat(reconciler(1).reconcile(0, 1, NOW.plusSeconds(30))).isEqualTo(4);

        assertThat(teams.locked).containsExactly("early", "sameA", "sameB", "late");
        assertThat(counters.of("ended"))
                .as("no longer open: not the reconciler's")
                .isEqualTo(2);
    }

    /**
     * A stop of the instance cuts a sweep before its next page, as its deadline does: the scheduler's stop waited for
     * the sweep (up to Spring's 30 s phase timeout, then the database pool closed under it).
     */
    @Test
    void aStopCutsTheSweepBeforeItsNextPage() {
        for (int i = 1; i <= 20; i++) {
            teams.open(i, "t" + i, 1, NOW.plusSeconds(3600 + i));
            counters.set("t" + i, 1);
        }
        TeamPlaceReconciler reconciler = reconciler(5);
        teams.afterPage = stop::stop;

        reconciler.reconcileIfDue(0, 1, NOW.plusSeconds(60));

        assertThat(teams.pagesRead).isEqualTo(1);
    }

    @Test
    void aSweepCutByItsDeadlineGoesOnFromThereAtTheNextDueRun() {
        for (int i = 1; i <= 50; i++) {
            teams.open(i, "t" + i, 1, NOW.plusSeconds(3600 + i));
            counters.set("t" + i, 1);
        }
        counters.set("t48", 2); // far past what one run's budget reaches
        TeamPlaceReconciler reconciler = reconciler(5);
        // The clock moves a second at each reading: a budget of 4 s lets a run read two pages of five teams.
        clock.step = Duration.ofSeconds(1);

        List<Integer> fixedPerRun = new ArrayList<>();
        List<Integer> pagesPerRun = new ArrayList<>();
        for (int run = 0; run < 6; run++) {
            int pagesBefore = teams.pagesRead;
            fixedPerRun.add(reconciler.reconcileIfDue(0, 1, clock.peek().plusSeconds(4)));
            pagesPerRun.add(teams.pagesRead - pagesBefore);
            clock.now = clock.now.plus(INTERVAL);
        }

        assertThat(pagesPerRun).as("every run read some pages").allMatch(pages -> pages > 0 && pages < 10);
        assertThat(counters.of("t48")).isEqualTo(1);
        assertThat(fixedPerRun.stream().mapToInt(Integer::intValue).sum()).isEqualTo(1);
        assertThat(teams.firstTeamOfEachPage)
                .as("no run started over at the first team")
                .containsOnlyOnce("t1");
    }

    @Test
    void aSweepThatFailsIsRetriedAtTheNextTickFromThePagesItFinished() {
        for (int i = 1; i <= 20; i++) {
            teams.open(i, "t" + i, 1, NOW.plusSeconds(600 + i));
            counters.set("t" + i, 1);
        }
        counters.set("t3", 2); // in the page Redis still answered
        counters.set("t18", 2); // in the pages after Redis went down
        TeamPlaceReconciler reconciler = reconciler(5);
        counters.pagesBeforeOutage = 1; // the first page's counters read, then Redis is down

        assertThatThrownBy(() -> reconciler.reconcileIfDue(0, 1, NOW.plusSeconds(30)))
                .hasMessageContaining("redis unavailable");
        assertThat(counters.of("t3")).isEqualTo(1);
        assertThat(counters.of("t18")).isEqualTo(2);

        // Redis is back a tick (seconds, far less than the interval) later: the failed sweep is retried now, not an
        // interval later, and goes on after the page it finished instead of starting over.
        counters.pagesBeforeOutage = -1;
        clock.now = NOW.plusSeconds(5);
        int firstPagesBefore = teams.firstTeamOfEachPage.size();
        assertThat(reconciler.reconcileIfDue(0, 1, NOW.plusSeconds(35))).isEqualTo(1);
        assertThat(counters.of("t18")).isEqualTo(1);
        assertThat(teams.firstTeamOfEachPage.subList(firstPagesBefore, teams.firstTeamOfEachPage.size()))
                .as("the retry starts after the finished page")
                .doesNotContain("t1")
                .startsWith("t6");

        // A sweep that succeeded counts as a run again: the next is an interval later.
        counters.set("t18", 2);
        clock.now = NOW.plusSeconds(10);
        assertThat(reconciler.reconcileIfDue(0, 1, NOW.plusSeconds(40))).isZero();
        assertThat(counters.of("t18")).isEqualTo(2);
    }

    @Test
    void aRunIsDueOnlyOnceThePreviousIsAnIntervalAgo() {
        teams.open(1, "t1", 1, NOW.plusSeconds(600));
        counters.set("t1", 1);
        TeamPlaceReconciler reconciler = reconciler(10);

        reconciler.reconcileIfDue(0, 1, NOW.plusSeconds(30));
        counters.set("t1", 2);
        clock.now = NOW.plusSeconds(59);
        assertThat(reconciler.reconcileIfDue(0, 1, NOW.plusSeconds(89))).isZero();
        assertThat(counters.of("t1")).isEqualTo(2);

        clock.now = NOW.plusSeconds(60);
        assertThat(reconciler.reconcileIfDue(0, 1, NOW.plusSeconds(90))).isEqualTo(1);
        assertThat(counters.of("t1")).isEqualTo(1);
    }

    /**
     * The wall clock stepped back an hour (NTP) after a run: the last run then lay in the future, and no run was due
     * for the hour and the interval. A last run later than now is a step, not a run to wait for.
     */
    @Test
    void aClockSteppedBackAfterARunDoesNotHoldTheNextRunBackByTheStep() {
        teams.open(1, "t1", 1, NOW.plusSeconds(600));
        // Unchanged for two hours (the database's clock is the test's here, stepped back with it).
        teams.rows.get("t1").updatedAt = NOW.minus(Duration.ofHours(2));
        counters.set("t1", 1);
        TeamPlaceReconciler reconciler = reconciler(10);

        reconciler.reconcileIfDue(0, 1, NOW.plusSeconds(30));
        counters.set("t1", 2);
        clock.now = NOW.minus(Duration.ofHours(1));
        assertThat(reconciler.reconcileIfDue(0, 1, clock.peek().plusSeconds(30)))
                .as("stepped back: the run an hour \"ahead\" is not waited for")
                .isEqualTo(1);

        clock.now = clock.now.plusSeconds(59);
        assertThat(reconciler.reconcileIfDue(0, 1, clock.peek().plusSeconds(30)))
                .as("then runs an interval apart again")
                .isZero();
    }

    /**
     * The same for the refusal looks: a team looked at just before the clock stepped back an hour was not looked at
     * again for the hour, and a counter left high refused its joiners a place that exists that long.
     */
    @Test
    void aClockSteppedBackDoesNotSilenceATeamsRefusalLooksForTheStep() {
        teams.open(1, "t1", 2, NOW.plusSeconds(600));
        teams.rows.get("t1").updatedAt = NOW.minus(Duration.ofHours(2));
        counters.set("t1", 2);
        TeamPlaceReconciler reconciler = reconciler(10);
        assertThat(reconciler.reconcileRefused("t1")).isFalse();

        clock.now = NOW.minus(Duration.ofHours(1));
        counters.set("t1", 3); // a crash leaves it high meanwhile
        assertThat(reconciler.reconcileRefused("t1"))
                .as("the look an hour \"ahead\" does not count")
                .isTrue();
        assertThat(counters.of("t1")).isEqualTo(2);
    }

    @Test
    void eachShardSweepsOnlyItsOwnTeams() {
        for (int i = 1; i <= 6; i++) {
            teams.open(i, "t" + i, 1, NOW.plusSeconds(600 + i));
            counters.set("t" + i, 2);
        }

        assertThat(reconciler(10).reconcile(1, 3, NOW.plusSeconds(30))).isEqualTo(2);

        assertThat(teams.locked).containsExactly("t1", "t4");
    }

    @Test
    void aJoinRefusedByACounterLeftHighIsCorrectedAtOnceWithoutWaitingForTheSweep() {
        teams.open(1, "t1", 1, NOW.plusSeconds(600));
        counters.set("t1", 3); // a team of 3 with one lock, its counter left full by a crash

        TeamPlaceReconciler reconciler = reconciler(10);

        assertThat(reconciler.reconcileRefused("t1")).isTrue();
        assertThat(counters.of("t1")).isEqualTo(1);
        assertThat(corrections).containsExactly(2);
        assertThat(looks).containsExactly(1);
        assertThat(teams.pagesRead).as("no sweep").isZero();
    }

    /** gbm.places.on-refusal=false: a refused join waits for the sweep; the team is neither locked nor counted. */
    @Test
    void withRefusalLooksOffARefusedJoinLeavesTheTeamToTheSweep() {
        teams.open(1, "t1", 1, NOW.plusSeconds(600));
        counters.set("t1", 3);
        TeamPlaceReconciler off = reconciler(Duration.ofMinutes(2), Duration.ofSeconds(30), 10, RefusalLooks.OFF);

        assertThat(off.reconcileRefused("t1")).isFalse();
        assertThat(counters.of("t1")).isEqualTo(3);
        assertThat(teams.locked).isEmpty();
        assertThat(looks).isEmpty();
    }

    @Test
    void aHotTeamsRefusedCrowdCostsOneLookPerQuietPeriod() {
        teams.open(1, "t1", 2, NOW.plusSeconds(600));
        counters.set("t1", 2); // a join in flight held the last place and has written its lock since: nothing to fix

        TeamPlaceReconciler reconciler = reconciler(10);
        for (int i = 0; i < 100; i++) {
            assertThat(reconciler.reconcileRefused("t1")).isFalse();
        }
        assertThat(teams.locked).as("one row lock for 100 refusals").containsExactly("t1");

        clock.now = clock.now.plusSeconds(31);
        assertThat(reconciler.reconcileRefused("t1")).isFalse();
        assertThat(teams.locked).containsExactly("t1", "t1");
    }

    @Test
    void aRefusalOnATeamWhoseRowJustChangedIsLookedAtAgainOnceTheRowIsQuiet() {
        teams.open(1, "t1", 1, NOW.plusSeconds(600));
        teams.rows.get("t1").updatedAt = NOW.minusSeconds(5); // a refund just committed; its process died after
        counters.set("t1", 3);

        TeamPlaceReconciler reconciler = reconciler(10);
        assertThat(reconciler.reconcileRefused("t1"))
                .as("its release may still be on its way")
                .isFalse();
        assertThat(counters.of("t1")).isEqualTo(3);

        clock.now = clock.now.plusSeconds(20);
        assertThat(reconciler.reconcileRefused("t1"))
                .as("within the quiet period: not looked at")
                .isFalse();
        assertThat(teams.locked).containsExactly("t1");

        clock.now = clock.now.plusSeconds(11);
        assertThat(reconciler.reconcileRefused("t1")).isTrue();
        assertThat(counters.of("t1")).isEqualTo(1);
    }

    /**
     * {@code gbm.places.quiet-period=0}: no wait after a row change, so a team whose row changed this very instant is
     * corrected at once (a quiet period is how long a change holds the look back, none here).
     */
    @Test
    void aQuietPeriodOfZeroCorrectsATeamWhoseRowChangedThisInstant() {
        teams.open(1, "t1", 1, NOW.plusSeconds(600));
        teams.rows.get("t1").updatedAt = NOW;
        counters.set("t1", 2);

        assertThat(reconciler(Duration.ofMinutes(2), Duration.ZERO, 10).reconcileTeam("t1"))
                .isEqualTo(1);
        assertThat(counters.of("t1")).isEqualTo(1);
    }

    /**
     * The refusal throttle remembers at most 10,000 looks. Full of looks within the quiet period, it forgets them all
     * (memory stays bounded; the price is one more look at a team just looked at), rather than growing with every
     * team a crowd is refused from.
     */
    @Test
    void tenThousandRecentLooksAreAllForgottenSoTheThrottleNeverGrowsPastThem() {
        TeamPlaceReconciler reconciler = reconciler(10);
        refuseOnce(reconciler, 10_000, "t");
        assertThat(looks).hasSize(10_000);

        assertThat(reconciler.reconcileRefused("t0")).isFalse();

        assertThat(looks).as("t0 looked at again, its look forgotten").hasSize(10_001);
        assertThat(teams.locked.stream().filter("t0"::equals)).hasSize(2);
    }

    /**
     * Full, but with looks older than the quiet period: only those are dropped, and a team looked at within it stays
     * throttled (its refused crowd still costs one look).
     */
    @Test
    void aFullThrottleDropsOnlyLooksOlderThanTheQuietPeriod() {
        TeamPlaceReconciler reconciler = reconciler(10);
        refuseOnce(reconciler, 9_999, "old");
        clock.now = clock.now.plusSeconds(31);
        refuseOnce(reconciler, 1, "hot");
        assertThat(looks).hasSize(10_000);

        assertThat(reconciler.reconcileRefused("hot0")).isFalse();

        assertThat(looks).as("hot0 still throttled").hasSize(10_000);
        assertThat(teams.locked.stream().filter("hot0"::equals)).hasSize(1);
    }

    /** {@code n} open teams named {@code prefix}0, 1, ..., no counter to correct, each refused one join. */
    private void refuseOnce(TeamPlaceReconciler reconciler, int n, String prefix) {
        for (int i = 0; i < n; i++) {
            String id = prefix + i;
            teams.open(teams.rows.size() + 1, id, 1, NOW.plusSeconds(600));
            assertThat(reconciler.reconcileRefused(id)).isFalse();
        }
    }

    /** A clock whose reading advances by {@code step} each time it is read. */
    private static final class TickingClock extends Clock {
        Instant now;
        Duration step = Duration.ZERO;

        TickingClock(Instant now) {
            this.now = now;
        }

        Instant peek() {
            return now;
        }

        @Override
        public Instant instant() {
            Instant reading = now;
            now = now.plus(step);
            return reading;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    private static final class Row {
        final long rowId;
        final String teamId;
        int lockCount;
        final Instant validEnd;
        Instant updatedAt = NOW.minusSeconds(600);
        List<String> closedOrderIds = List.of();

        Row(long rowId, String teamId, int lockCount, Instant validEnd) {
            this.rowId = rowId;
            this.teamId = teamId;
            this.lockCount = lockCount;
            this.validEnd = validEnd;
        }
    }

    /** Open teams as the database holds them, read the way queryOpenTeams reads them. */
    private static final class Teams implements ITeamPlaceRepository {
        /** The database's clock: the test's (read without moving it). */
        private final TickingClock databaseClock;

        final Map<String, Row> rows = new LinkedHashMap<>();
        final List<String> locked = new ArrayList<>();
        final List<String> firstTeamOfEachPage = new ArrayList<>();

        Teams(TickingClock databaseClock) {
            this.databaseClock = databaseClock;
        }

        int pagesRead;
        /** Run after each page read (the instance's stop beginning, say). */
        Runnable afterPage = () -> {};

        void open(long rowId, String teamId, int lockCount, Instant validEnd) {
            rows.put(teamId, new Row(rowId, teamId, lockCount, validEnd));
        }

        @Override
        public List<OpenTeamPlacesVO> queryOpenTeams(
                Instant now, OpenTeamsPosition after, int shardIndex, int shardTotal, int limit) {
            pagesRead++;
            Comparator<OpenTeamsPosition> order =
                    Comparator.comparing(OpenTeamsPosition::validEnd).thenComparingLong(OpenTeamsPosition::rowId);
            List<OpenTeamPlacesVO> page = rows.values().stream()
                    .filter(row -> row.validEnd.isAfter(now))
                    .filter(row -> row.rowId % shardTotal == shardIndex)
                    .map(row -> new OpenTeamPlacesVO(row.rowId, row.teamId, row.lockCount, row.validEnd, row.updatedAt))
                    .filter(team -> order.compare(team.position(), after) > 0)
                    .sorted(Comparator.comparing(OpenTeamPlacesVO::position, order))
                    .limit(limit)
                    .toList();
            if (!page.isEmpty()) {
                firstTeamOfEachPage.add(page.get(0).teamId());
            }
            afterPage.run();
            return page;
        }

        @Override
        public <T> T underTeamLock(String teamId, Function<LockedTeamPlacesVO, T> work) {
            locked.add(teamId);
            Row row = rows.get(teamId);
            return work.apply(new LockedTeamPlacesVO(
                    row.lockCount,
                    Duration.between(row.updatedAt, databaseClock.peek()),
                    List.of(),
                    row.closedOrderIds));
        }
    }

    /** The Redis counters; no holder in flight in these tests, so the truth is the lock count. */
    private static final class Counters implements ITeamPlaceReservation {
        private final Map<String, Integer> places = new HashMap<>();
        /** Orders whose place counts as given back, by team. */
        final Map<String, List<String>> released = new HashMap<>();
        /** Pages of counters read before Redis goes down (negative: never down). */
        int pagesBeforeOutage = -1;

        void set(String teamId, int n) {
            places.put(teamId, n);
        }

        void remove(String teamId) {
            places.remove(teamId);
        }

        Integer of(String teamId) {
            return places.get(teamId);
        }

        @Override
        public Map<String, Integer> places(Collection<String> teamIds) {
            if (pagesBeforeOutage == 0) {
                throw new IllegalStateException("redis unavailable");
            }
            if (pagesBeforeOutage > 0) {
                pagesBeforeOutage--;
            }
            Map<String, Integer> found = new TreeMap<>();
            teamIds.stream().filter(places::containsKey).forEach(id -> found.put(id, places.get(id)));
            return found;
        }

        @Override
        public int reconcile(
                String teamId,
                int lockCount,
                List<String> holdersInDb,
                List<String> closedOrderIds,
                Duration staleAfter) {
            released.computeIfAbsent(teamId, t -> new ArrayList<>()).addAll(closedOrderIds);
            Integer current = places.get(teamId);
            if (current == null) {
                return 0;
            }
            places.put(teamId, lockCount);
            return current - lockCount;
        }

        @Override
        public boolean reserve(String teamId, String holder, int target, int lockedInDb, Instant validEnd) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void countOpened(List<OpenedTeam> opened) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void cancel(String teamId, String holder) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void release(String teamId) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean releaseOrder(String teamId, String orderId) {
            throw new UnsupportedOperationException();
        }
    }
}
