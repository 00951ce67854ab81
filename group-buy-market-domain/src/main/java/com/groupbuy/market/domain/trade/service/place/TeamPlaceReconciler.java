package com.groupbuy.market.domain.trade.service.place;

import com.groupbuy.market.domain.support.JobLimits;
import com.groupbuy.market.domain.support.RunStop;
import com.groupbuy.market.domain.trade.adapter.port.ITeamPlaceReservation;
import com.groupbuy.market.domain.trade.adapter.repository.ITeamPlaceRepository;
import com.groupbuy.market.domain.trade.model.valobj.OpenTeamPlacesVO;
import com.groupbuy.market.domain.trade.model.valobj.OpenTeamsPosition;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import lombok.extern.slf4j.Slf4j;

/**
 * Brings open teams' Redis place counters back to the database's truth. A process killed between a refund's commit
 * and its release (or between a lock's reservation and its write) leaves a counter above the team's live locks, and
 * every joiner is refused a place that exists until the counter expires a day later.
 * <p>
 * A counter may rightly exceed the lock count by the locks in flight, so a team is only corrected under its row
 * lock (no place-changing commit meanwhile), counting as in flight every holder that reserved less than
 * {@code staleAfter} ago (by Redis's clock, which stamps the reservation) and has no order row yet; older holders
 * without a row died with their process. A team whose
 * row changed in the last {@code quietPeriod} (by the database's clock, which stamps the row) is left to the next run: a
 * refund that just committed has its release
 * still on the way.
 * <p>
 * <b>Bound.</b> A counter left high matters when it refuses a joiner the team row has a place for, and that joiner's
 * refusal corrects it ({@link #reconcileRefused}): the team is looked at under its row lock at once (at most once per
 * team per {@code quietPeriod}), and the joiner tries once more. So a joiner is refused a place that exists for at
 * most about {@code quietPeriod} after the team's row last changed (a look within it leaves the team alone), or
 * {@code staleAfter} after a dead reservation was taken, never until a sweep comes round. The sweep is the backstop
 * for counters nobody has run into yet (and a too-low counter, which the team row's own guard makes harmless): a
 * wrong counter is corrected within about two sweeps. The timeout job starts a run at most every {@code interval}; a
 * run sweeps this shard's open teams page by page until its deadline, and a sweep the deadline cuts (a big backlog of
 * expiries used the run's budget, say) goes on from where it stopped at the next run instead of starting over, so
 * every open team is reached however many there are and however little budget a run has left.
 * <p>
 * <b>Cost.</b> A sweep reads every open team: one page query and one Redis command a page (a script returning the
 * page's counters on a single node; a batch of one HGET per team on a cluster, whose keys span slots). Each team is
 * read (validity / interval) times in its life, so the interval is long (10 min by default, was 60 s): counted in
 * run.sh's lock windows (docs/benchmarks.md, "sweepcost"), a sweep a minute over the hundreds of thousands of teams a
 * benchmark leaves open was a visible share of the app's CPU per lock.
 * <p>
 * <b>Why every open team, not only the ones that may be wrong.</b> Two of the faults leave no trace in the database:
 * a process that reserved and died before its write, or whose cancel failed, never touched the team row, so "teams
 * changed since the last run" would miss them; marking touched teams in Redis would add a write to every lock and
 * cannot be one key in a Redis Cluster. And a sweep is cheap per team: counted on 40,000 open teams among 60,000
 * (docs/benchmarks.md, "The place reconciler"), one costs about 0.2 s of the app's CPU, a Redis batch of one HGET per
 * team, and, since pages are read in the open-teams index's own order, one index entry and one row per open team
 * (keyset by row id read every team row after the oldest open one, completed or not). In a settlement benchmark
 * window holding one sweep of 32,000 teams it was about 1 % of the app's CPU: not where settlement's CPU goes.
 */
@Slf4j
public class TeamPlaceReconciler {

    private final ITeamPlaceRepository repository;
    private final ITeamPlaceReservation reservation;
    private final Clock clock;
    /**
     * The shortest {@code staleAfter} taken: longer than a lock's write may take while alive (the database's 10 s
     * statement bound plus the pool's 1 s wait), so a reservation still being written is never counted dead.
     */
    static final Duration MIN_STALE_AFTER = Duration.ofSeconds(15);

    private final Duration staleAfter;
    private final Duration quietPeriod;
    private final int pageSize;
    /** Told how far each corrected counter was off (positive: it was too high). */
    private final IntConsumer corrected;
    /** Shortest time between two runs from the timeout job, which runs far more often than counters go wrong. */
    private final Duration interval;

    /** Teams looked at after a refusal, and when: the throttle of {@link #reconcileRefused}. */
    private final Map<String, Instant> refusalChecks = new ConcurrentHashMap<>();
    /** Past this many remembered looks, the old ones are dropped (all of them, if none is old). */
    private static final int REFUSAL_CHECKS_KEPT = 10_000;
    /** Whether a refused join makes its team be looked at at once, and who is told of each look. */
    private final RefusalLooks refusalLooks;

    /** The instance's stop: a sweep ends before its next page, cut as by its deadline. */
    private final RunStop stop;

    private final AtomicReference<Instant> lastRun = new AtomicReference<>(Instant.MIN);
    /** Per shard ("index/total"), where a sweep cut by its run's deadline goes on; absent: from the start. */
    private final Map<String, OpenTeamsPosition> unfinished = new ConcurrentHashMap<>();

    public TeamPlaceReconciler(
            ITeamPlaceRepository repository,
            ITeamPlaceReservation reservation,
            Clock clock,
            Duration staleAfter,
            Duration quietPeriod,
            int pageSize,
            Duration interval,
            IntConsumer corrected,
            RefusalLooks refusalLooks,
            RunStop stop) {
        // A page of 0 read nothing yet never counted as the last page: every sweep re-ran its empty query in a tight
        // loop until its deadline (60 s at start-up, the run budget from the timeout job) and checked no team.
        this.pageSize = JobLimits.page("gbm.places.page-size", pageSize);
        // A stale-after of 0 or a few milliseconds (a bare number) counts every lock still being written as dead and
        // lowers its team's counter under it; a negative quiet period corrects teams whose refund's release is on its
        // way. Either lets Redis hand out places the database then has to refuse.
        if (staleAfter == null || staleAfter.compareTo(MIN_STALE_AFTER) < 0) {
            throw new IllegalArgumentException("gbm.places.stale-after must be at least " + MIN_STALE_AFTER.toSeconds()
                    + " s (a bare number is milliseconds: write the unit, e.g. 2m), got " + staleAfter);
        }
        if (quietPeriod == null || quietPeriod.isNegative()) {
            throw new IllegalArgumentException("gbm.places.quiet-period must be zero or positive, got " + quietPeriod);
        }
        this.repository = repository;
        this.reservation = reservation;
        this.clock = clock;
        this.staleAfter = staleAfter;
        this.quietPeriod = quietPeriod;
        this.corrected = corrected;
        this.refusalLooks = refusalLooks;
        this.interval = interval;
        this.stop = stop;
    }

    /**
     * From the timeout job: when the last run is at least the interval ago, this shard's sweep from where the last
     * one was cut, or from the start; returns teams corrected (0 when not due).
     */
    public int reconcileIfDue(int shardIndex, int shardTotal, Instant deadline) {
        return sweepIfDue(shardIndex, shardTotal, deadline).orElse(0);
    }

    /**
     * As {@link #reconcileIfDue}, telling a sweep that ran (teams corrected) from none being due (empty): the timeout
     * job logs the end of a sweep outage only once a sweep has run again.
     */
    public OptionalInt sweepIfDue(int shardIndex, int shardTotal, Instant deadline) {
        Instant now = Instant.now(clock);
        Instant last = lastRun.get();
        // A last run later than now is the wall clock stepped back (NTP), not a run to wait for: waited for, no run was
        // due for the whole step on top of the interval.
        if ((last.isAfter(now.minus(interval)) && !last.isAfter(now)) || !lastRun.compareAndSet(last, now)) {
            return OptionalInt.empty();
        }
        String shard = shardIndex + "/" + shardTotal;
        OpenTeamsPosition from = unfinished.getOrDefault(shard, OpenTeamsPosition.START);
        AtomicReference<OpenTeamsPosition> reached = new AtomicReference<>(from);
        Sweep sweep;
        try {
            sweep = sweep(from, shardIndex, shardTotal, deadline, reached::set);
        } catch (RuntimeException e) {
            // A sweep that failed (Redis or the database down) is not a run: it was recorded as one above (so two
            // ticks never sweep at once), which would leave the rest of the sweep a whole interval, 10 min, behind
            // although the caller logs that the next run retries it. Undo that so the next tick retries, and keep the
            // pages this one finished: the retry goes on after them, as a sweep cut by its deadline does.
            unfinished.put(shard, reached.get());
            lastRun.compareAndSet(now, last);
            throw e;
        }
        if (sweep.cutAt() == null) {
            unfinished.remove(shard);
        } else {
            unfinished.put(shard, sweep.cutAt());
        }
        return OptionalInt.of(sweep.fixed());
    }

    /** This shard's open teams from the start, page by page until none is left or the deadline passes. */
    public int reconcile(int shardIndex, int shardTotal, Instant deadline) {
        return sweep(OpenTeamsPosition.START, shardIndex, shardTotal, deadline, reached -> {})
                .fixed();
    }

    /** Teams corrected, and where the deadline cut the sweep (null: it reached the last open team). */
    private record Sweep(int fixed, OpenTeamsPosition cutAt) {}

    /** {@code reached} is told the last team of each page done, so a sweep that throws can go on from there. */
    private Sweep sweep(
            OpenTeamsPosition from,
            int shardIndex,
            int shardTotal,
            Instant deadline,
            Consumer<OpenTeamsPosition> reached) {
        OpenTeamsPosition after = from;
        int checked = 0;
        int fixed = 0;
        boolean finished = false;
        while (Instant.now(clock).isBefore(deadline) && !stop.stopping()) {
            List<OpenTeamPlacesVO> page =
                    repository.queryOpenTeams(Instant.now(clock), after, shardIndex, shardTotal, pageSize);
            Map<String, Integer> places = reservation.places(
                    page.stream().map(OpenTeamPlacesVO::teamId).toList());
            for (OpenTeamPlacesVO team : page) {
                Integer counter = places.get(team.teamId());
                // Equal is the steady state; a counter above the lock count may be a lock in flight, so look closer.
                if (counter != null && counter != team.lockCount() && reconcileTeam(team.teamId()) != 0) {
                    fixed++;
                }
                after = team.position();
            }
            checked += page.size();
            reached.accept(after);
            if (page.size() < pageSize) {
                finished = true;
                break;
            }
        }
        if (fixed > 0 || !finished) {
            log.warn(
                    "team places reconciled shard={}/{} checked={} corrected={}{}",
                    shardIndex,
                    shardTotal,
                    checked,
                    fixed,
                    finished ? "" : " (cut by the run's deadline or a stop; the next run goes on from there)");
        }
        return new Sweep(fixed, finished ? null : after);
    }

    /**
     * A join Redis refused as full while the team row the lock read had places left: either joins are in flight (the
     * counter is right) or the counter was left high (a crash), and this joiner is refused a place that exists. The
     * team is then looked at under its row lock at once, at most once per team per {@code quietPeriod} (a hot team's
     * refused crowd costs one look, not one each). True when its counter was corrected: the caller may try once more.
     */
    public boolean reconcileRefused(String teamId) {
        if (!refusalLooks.on()) {
            return false;
        }
        Instant now = Instant.now(clock);
        if (refusalChecks.size() >= REFUSAL_CHECKS_KEPT) {
            refusalChecks.values().removeIf(at -> at.isBefore(now.minus(quietPeriod)));
            if (refusalChecks.size() >= REFUSAL_CHECKS_KEPT) {
                refusalChecks.clear();
            }
        }
        Instant last = refusalChecks.get(teamId);
        // A look later than now is the clock stepped back: it does not silence the team for the step.
        if (last != null && last.isAfter(now.minus(quietPeriod)) && !last.isAfter(now)) {
            return false;
        }
        refusalChecks.put(teamId, now);
        refusalLooks.counted().accept(1);
        return reconcileTeam(teamId) > 0;
    }

    /** One team under its row lock; returns how far its counter was off (0: right, busy, or no longer open). */
    public int reconcileTeam(String teamId) {
        Integer off = repository.underTeamLock(teamId, team -> {
            if (team.unchangedFor().compareTo(quietPeriod) < 0) {
                return 0;
            }
            return reservation.reconcile(teamId, team.lockCount(), team.holders(), team.closedOrderIds(), staleAfter);
        });
        if (off != null && off != 0) {
            corrected.accept(off);
            log.warn("team places corrected team={} counterWasOffBy={}", teamId, off);
            return off;
        }
        return 0;
    }
}
