package com.groupbuy.market.domain.trade.service.place;

import com.groupbuy.market.domain.trade.adapter.port.ITeamPlaceReservation;
import com.groupbuy.market.domain.trade.adapter.repository.ITeamPlaceRepository;
import com.groupbuy.market.domain.trade.model.valobj.OpenTeamPlacesVO;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntConsumer;
import lombok.extern.slf4j.Slf4j;

/**
 * Brings open teams' Redis place counters back to the database's truth. A process killed between a refund's commit
 * and its release (or between a lock's reservation and its write) leaves a counter above the team's live locks, and
 * every joiner is refused a place that exists until the counter expires a day later.
 * <p>
 * A counter may rightly exceed the lock count by the locks in flight, so a team is only corrected under its row
 * lock (no place-changing commit meanwhile), counting as in flight every holder that reserved less than
 * {@code staleAfter} ago and has no order row yet; older holders without a row died with their process. A team whose
 * row changed in the last {@code quietPeriod} is left to the next run: a refund that just committed has its release
 * still on the way.
 */
@Slf4j
public class TeamPlaceReconciler {

    private final ITeamPlaceRepository repository;
    private final ITeamPlaceReservation reservation;
    private final Clock clock;
    private final Duration staleAfter;
    private final Duration quietPeriod;
    private final int pageSize;
    /** Told how far each corrected counter was off (positive: it was too high). */
    private final IntConsumer corrected;
    /** Shortest time between two runs from the timeout job, which runs far more often than counters go wrong. */
    private final Duration interval;

    private final AtomicReference<Instant> lastRun = new AtomicReference<>(Instant.MIN);

    public TeamPlaceReconciler(
            ITeamPlaceRepository repository,
            ITeamPlaceReservation reservation,
            Clock clock,
            Duration staleAfter,
            Duration quietPeriod,
            int pageSize,
            Duration interval,
            IntConsumer corrected) {
        this.repository = repository;
        this.reservation = reservation;
        this.clock = clock;
        this.staleAfter = staleAfter;
        this.quietPeriod = quietPeriod;
        this.pageSize = pageSize;
        this.corrected = corrected;
        this.interval = interval;
    }

    /** From the timeout job: a run of this shard when the last one is at least the interval ago, else nothing. */
    public int reconcileIfDue(int shardIndex, int shardTotal, Instant deadline) {
        Instant now = Instant.now(clock);
        Instant last = lastRun.get();
        if (last.isAfter(now.minus(interval)) || !lastRun.compareAndSet(last, now)) {
            return 0;
        }
        return reconcile(shardIndex, shardTotal, deadline);
    }

    /** This shard's open teams, page by page until none is left or the deadline passes; returns teams corrected. */
    public int reconcile(int shardIndex, int shardTotal, Instant deadline) {
        long after = 0;
        int checked = 0;
        int fixed = 0;
        while (Instant.now(clock).isBefore(deadline)) {
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
                after = team.rowId();
            }
            checked += page.size();
            if (page.size() < pageSize) {
                break;
            }
        }
        if (fixed > 0) {
            log.warn(
                    "team places reconciled shard={}/{} checked={} corrected={}",
                    shardIndex,
                    shardTotal,
                    checked,
                    fixed);
        }
        return fixed;
    }

    /** One team under its row lock; returns how far its counter was off (0: right, busy, or no longer open). */
    public int reconcileTeam(String teamId) {
        Instant now = Instant.now(clock);
        Integer off = repository.underTeamLock(teamId, team -> {
            if (team.updatedAt().isAfter(now.minus(quietPeriod))) {
                return 0;
            }
            return reservation.reconcile(teamId, team.lockCount(), team.holders(), now.minus(staleAfter));
        });
        if (off != null && off != 0) {
            corrected.accept(off);
            log.warn("team places corrected team={} counterWasOffBy={}", teamId, off);
            return off;
        }
        return 0;
    }
}
