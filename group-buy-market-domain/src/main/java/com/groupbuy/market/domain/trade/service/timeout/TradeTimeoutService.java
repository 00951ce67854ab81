package com.groupbuy.market.domain.trade.service.timeout;

import com.groupbuy.market.domain.outbox.adapter.port.INotifyDispatcher;
import com.groupbuy.market.domain.support.JobLimits;
import com.groupbuy.market.domain.support.OutageLog;
import com.groupbuy.market.domain.support.RunStop;
import com.groupbuy.market.domain.trade.adapter.port.ITeamPlaceReservation;
import com.groupbuy.market.domain.trade.adapter.repository.IRefundRepository;
import com.groupbuy.market.domain.trade.model.aggregate.Team;
import com.groupbuy.market.domain.trade.model.entity.MemberOrderView;
import com.groupbuy.market.domain.trade.model.valobj.TeamExpiryVO;
import com.groupbuy.market.domain.trade.model.valobj.TeamStatus;
import com.groupbuy.market.domain.trade.model.valobj.TimeoutRunSummary;
import com.groupbuy.market.domain.trade.service.place.TeamPlaceReconciler;
import com.groupbuy.market.domain.trade.service.refund.TradeRefundService;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import lombok.extern.slf4j.Slf4j;

/**
 * The timeout job. First, open teams past their validity end (plus a grace for settlements of payments made just
 * before it) fail: their unpaid places close and every member's mall is told. Then, when an unpaid limit shorter than
 * the team's validity is set, locks older than it close like an unpaid refund. Every change is guarded by the state
 * it starts from, so running twice, or on two executors, changes nothing more, and a settlement racing a close leaves
 * exactly one of them done. Last, open teams' Redis place counters are reconciled with the database
 * ({@link TeamPlaceReconciler}).
 * <p>
 * While the delay path is on (#15: each lock's close check arrives on time through the broker), this job is its
 * backstop: it looks only for locks and teams overdue by more than {@code backstopMargin}, and everything it still
 * finds is counted as "found late" (logged, and a metric): zero unless the broker lost checks or never got them.
 * With the delay path off it closes on time itself, as before. A partner's payment grace ({@link CloseCheckPolicy})
 * holds for both.
 */
@Slf4j
public class TradeTimeoutService {

    private volatile Consumer<TimeoutRunSummary> runListener = summary -> {};
    private final IRefundRepository repository;
    private final TradeRefundService refundService;
    private final ITeamPlaceReservation reservation;
    private final INotifyDispatcher dispatcher;
    private final Clock clock;
    private final CloseCheckPolicy policy;
    /** How overdue a lock or team must be before this job takes it, while the delay path is on (zero when off). */
    private final Duration backstopMargin;

    private final int pageSize;
    private final Duration runBudget;
    private final TeamPlaceReconciler placeReconciler;
    /** Orders whose close threw, read again at the start of the next run. */
    private final UnsureCloses unsure;

    /** Open teams past their end (and grace), by team id, each shard's run within the run budget. */
    private final ShardPages<String> expiredTeams;

    /** Unpaid locks past their timeout, in lock order, each shard's run within the run budget. */
    private final ShardPages<MemberOrderView> overdueLocks;

    /**
     * Which place sweep failures are outages, logged once each (the app's tells Redis or the database unavailable from
     * other failures), instead of a WARN with its stack at every run while Redis is down; {@link OutageLog#NONE}: none
     * ({@link #reconcilePlaces}).
     */
    private final OutageLog sweepOutages;

    public TradeTimeoutService(
            IRefundRepository repository,
            TradeRefundService refundService,
            ITeamPlaceReservation reservation,
            INotifyDispatcher dispatcher,
            Clock clock,
            CloseCheckPolicy policy,
            Duration backstopMargin,
            int pageSize,
            Duration runBudget,
            TeamPlaceReconciler placeReconciler,
            OutageLog sweepOutages,
            RunStop stop) {
        this.pageSize = JobLimits.page("gbm.timeout.page-size", pageSize);
        this.expiredTeams = new ShardPages<>(clock, this.pageSize, stop);
        this.overdueLocks = new ShardPages<>(clock, this.pageSize, stop);
        this.runBudget = JobLimits.budget("gbm.timeout.run-budget", runBudget);
        this.repository = repository;
        this.refundService = refundService;
        this.unsure = new UnsureCloses(repository, refundService);
        this.reservation = reservation;
        this.dispatcher = dispatcher;
        this.clock = clock;
        this.policy = policy;
        checkMargin(backstopMargin);
        this.backstopMargin = policy.delayPathEnabled() ? backstopMargin : Duration.ZERO;
        this.placeReconciler = placeReconciler;
        this.sweepOutages = sweepOutages;
    }

    /**
     * The margin is subtracted from "now" to find what is overdue: a negative one moved that bound into the future, so
     * every run failed teams still inside their validity (their paid members refunded) and closed unpaid locks before
     * their timeout; one reaching back before the year 1 made every run's query refused, so the backstop closed
     * nothing. Refused at start, naming the setting, even while the delay path is off (the margin waits unused until
     * it is switched on).
     */
    private static void checkMargin(Duration margin) {
        if (margin == null || margin.isNegative() || margin.compareTo(CloseCheckPolicy.LONGEST) > 0) {
            throw new IllegalArgumentException("gbm.close-check.backstop-margin must be zero or positive and at most "
                    + CloseCheckPolicy.LONGEST.toDays() + " days (the timeout job closes what is overdue by more "
                    + "than it), got " + margin);
        }
    }

    /** Told every run's summary, however the run was started (metrics: what the backstop found late). */
    public void onRun(Consumer<TimeoutRunSummary> listener) {
        this.runListener = listener;
    }

    public TimeoutRunSummary execTimeoutCloseJob() {
        return execTimeoutCloseJob(0, 1);
    }

    /** This shard's expired teams and timed-out locks, page by page, within the run's time budget. */
    public TimeoutRunSummary execTimeoutCloseJob(int shardIndex, int shardTotal) {
        Instant start = Instant.now(clock);
        Instant deadline = start.plus(runBudget);
        Counts counts = new Counts();
        unsure.recheck();
        Instant endBefore = start.minus(policy.expiryGrace()).minus(backstopMargin);
        String shard = shardIndex + "/" + shardTotal;
        // Both page on after the last item of the page before, past what they left (a team or lock whose change
        // failed, a lock in its own partner's grace), never reading it again as the next page. Read again from the
        // oldest, a page of locks of a partner with a longer grace than the shortest ended the run, and every other
        // partner's overdue lock behind it (and its team place) waited until they were due: that partner's grace
        // became everyone's; a page of teams whose expiry failed every time ended every run, and no later team of the
        // shard expired again.
        int teamsSkipped = expiredTeams.drain(
                deadline,
                shard,
                last -> repository.queryOpenTeamsEndedBefore(endBefore, last, shardIndex, shardTotal, pageSize),
                teamId -> expire(teamId, endBefore, counts));
        counts.skipped += teamsSkipped;
        if (policy.unpaidTimeout() != null) {
            Instant overdueAt = start.minus(backstopMargin);
            Instant lockedBefore = overdueAt
                    .minus(policy.unpaidTimeout())
                    .minus(policy.paymentGrace().shortest());
            int locksSkipped = overdueLocks.drain(
                    deadline,
                    shard,
                    last -> repository.queryUnpaidLockedBefore(lockedBefore, last, shardIndex, shardTotal, pageSize),
                    order -> closeUnpaid(order, overdueAt, counts));
            counts.skipped += locksSkipped;
        }
        reconcilePlaces(shardIndex, shardTotal, deadline);
        int foundLate = policy.delayPathEnabled() ? counts.expiredTeams + counts.closedUnpaid : 0;
        TimeoutRunSummary summary =
                new TimeoutRunSummary(counts.expiredTeams, counts.closedUnpaid, counts.skipped, foundLate);
        if (foundLate > 0) {
            log.warn(
                    "timeout close shard={}/{} found late={} (closed by the backstop, not by their delayed close "
                            + "check: the broker lost or never got them) {}",
                    shardIndex,
                    shardTotal,
                    foundLate,
                    summary);
        } else if (counts.expiredTeams + counts.closedUnpaid + counts.skipped > 0) {
            log.info("timeout close shard={}/{} {}", shardIndex, shardTotal, summary);
        }
        runListener.accept(summary);
        return summary;
    }

    /**
     * Whether a team or an unpaid lock this job closes has been overdue for longer than {@code left} (any shard): a run
     * taking what is overdue never leaves one that long. The local scheduler's check while a console holds our
     * registration, which is no proof that the console runs this job. A lock counts only once overdue whoever its
     * partner (the longest payment grace), so a partner's longer grace never reads as a job left unrun.
     */
    public boolean leftOverdueFor(Duration left) {
        Instant overdueAt = Instant.now(clock).minus(backstopMargin).minus(left);
        if (!repository
                .queryOpenTeamsEndedBefore(overdueAt.minus(policy.expiryGrace()), null, 0, 1, 1)
                .isEmpty()) {
            return true;
        }
        return policy.unpaidTimeout() != null
                && !repository
                        .queryUnpaidLockedBefore(
                                overdueAt
                                        .minus(policy.unpaidTimeout())
                                        .minus(policy.paymentGrace().longest()),
                                null,
                                0,
                                1,
                                1)
                        .isEmpty();
    }

    /**
     * A team's delayed close check arrived (#15): fails the team if it is still open past its validity end + grace,
     * exactly as this job would. False when there was nothing to do (completed, already failed, or not due).
     */
    public boolean expireTeamNow(String teamId) {
        return checkTeamNow(teamId).failed();
    }

    /**
     * What a team's close check finds ({@link #expireTeamNow}): the team failed now; or, still open but not yet due
     * under the expiry grace of now (a restart lengthened it since the check was written), when it is due; or neither:
     * no longer open (completed, failed already) or no such team.
     */
    public record TeamCheck(boolean failed, Instant dueAt) {

        /** Neither failed now nor open: nothing left to do for this team. */
        public boolean closed() {
            return !failed && dueAt == null;
        }
    }

    /** {@link #expireTeamNow}, telling a team still open but not yet due (and when it is) from one no longer open. */
    public TeamCheck checkTeamNow(String teamId) {
        Counts counts = new Counts();
        // Due when its end + grace is at or before now. Stored times are whole milliseconds and the guarded update
        // compares them with a bound written at whole milliseconds, while the clock reads microseconds: "ended before
        // now" alone let a check handled in the millisecond it is due (the broker's expiry, or the consumer's wait for
        // an early check, ends there) see the team as expired and have the update refuse it, so the check was
        // acknowledged with nothing done and the team left open to the backstop. Every team that ended up to this
        // millisecond is due, never one that ends later.
        Instant endBefore = Instant.now(clock)
                .minus(policy.expiryGrace())
                .truncatedTo(ChronoUnit.MILLIS)
                .plusMillis(1);
        AtomicReference<Team> seen = new AtomicReference<>();
        if (expire(teamId, endBefore, counts, seen::set)) {
            return new TeamCheck(true, null);
        }
        Team team = seen.get();
        return team != null && team.getStatus() == TeamStatus.OPEN && !team.isExpiredBefore(endBefore)
                ? new TeamCheck(false, policy.teamCloseAt(team.getValidEndTime()))
                : new TeamCheck(false, null);
    }

    /**
     * Open teams' Redis place counters against the database; a failure here never fails the closing above. A sweep
     * failing for an outage is logged by {@link #sweepOutages} (once per outage, and once when a sweep runs again: the
     * run completes, so the run's own failure log never sees it); any other failure is a WARN with its stack each run.
     */
    private void reconcilePlaces(int shardIndex, int shardTotal, Instant deadline) {
        try {
            if (placeReconciler.sweepIfDue(shardIndex, shardTotal, deadline).isPresent()) {
                sweepOutages.completed();
            }
        } catch (RuntimeException e) {
            if (!sweepOutages.outage(e)) {
                log.warn("team place reconciliation skipped this run; the next run retries it", e);
            }
        }
    }

    private boolean expire(String teamId, Instant endBefore, Counts counts) {
        return expire(teamId, endBefore, counts, team -> {});
    }

    private boolean expire(String teamId, Instant endBefore, Counts counts, Consumer<Team> seen) {
        TeamExpiryVO expiry = refundService.expireTeam(teamId, endBefore, seen);
        if (expiry == null) {
            return false;
        }
        try {
            // Per order, so the refund consumer receiving these orders' unpaid_unlock messages gives nothing back
            // twice.
            expiry.closedOrderIds().forEach(orderId -> reservation.releaseOrder(teamId, orderId));
        } catch (RuntimeException e) {
            // Committed: the failed team is no longer open, so its counter matters to nobody and expires.
            log.warn("team={} expired but its places not given back in Redis ({})", teamId, e.toString());
        }
        expiry.taskIds().forEach(dispatcher::dispatchAsync);
        counts.expiredTeams++;
        counts.closedUnpaid += expiry.closedUnpaid();
        log.info(
                "team expired team={} closedUnpaid={} tasks={}",
                teamId,
                expiry.closedUnpaid(),
                expiry.taskIds().size());
        return true;
    }

    private boolean closeUnpaid(MemberOrderView order, Instant overdueAt, Counts counts) {
        // The page was read with the shortest grace of all (in SQL, on the database's lock time): only a partner with a
        // longer grace needs its own test here. The grace is the order's own partner's (the mall whose payment notice
        // we wait for, as the lock's close check was given), not its team's: they differ in a team mixed before teams
        // were kept to their partner, whose other partner's buyer was closed at the team partner's grace.
        String source = order.memberSource();
        String channel = order.memberChannel();
        Duration longerGrace = policy.paymentGrace()
                .of(source, channel)
                .minus(policy.paymentGrace().shortest());
        if (!longerGrace.isZero()
                && policy.unpaidCloseAt(order.getLockTime(), source, channel).isAfter(overdueAt)) {
            return false;
        }
        boolean closed;
        try {
            closed = refundService.closeUnpaid(order);
        } catch (RuntimeException e) {
            unsure.remember(order);
            throw e;
        }
        if (!closed) {
            return false;
        }
        counts.closedUnpaid++;
        return true;
    }

    private static final class Counts {
        int expiredTeams;
        int closedUnpaid;
        int skipped;
    }
}
