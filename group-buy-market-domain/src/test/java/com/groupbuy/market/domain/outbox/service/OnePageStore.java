package com.groupbuy.market.domain.outbox.service;

import com.groupbuy.market.domain.outbox.adapter.repository.INotifyTaskStore;
import com.groupbuy.market.domain.outbox.model.valobj.NotifyAttemptOutcome;
import com.groupbuy.market.domain.outbox.model.valobj.NotifyPutBack;
import com.groupbuy.market.domain.outbox.model.valobj.NotifyTaskVO;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One page to claim, then the tasks released from it ({@link #release}) as the next page, then nothing; records what the
 * service asked of it.
 */
final class OnePageStore implements INotifyTaskStore {
    private List<NotifyTaskVO> page;
    final List<Integer> claimLimits = new ArrayList<>();
    final List<Integer> finishCalls = new ArrayList<>();
    final List<NotifyAttemptOutcome> finished = new ArrayList<>();
    /** Tasks put back unsent ({@link #deferring}), and why. */
    final List<Long> putBack = new ArrayList<>();

    final List<String> putBackReasons = new ArrayList<>();
    /** The put-backs' store calls, in order: how many tasks each put back. */
    final List<Integer> deferCalls = new ArrayList<>();
    /** Tasks whose lease another claimant took: their put-back answers false. */
    final Set<Long> takenOver = new HashSet<>();
    /** Tasks whose lease was released unsent, in order. */
    final List<Long> released = new ArrayList<>();
    /** The leases claimed: each claim's end, in order. */
    final List<Instant> leases = new ArrayList<>();
    /** Releases answer false: the lease was taken over by another claimant. */
    boolean leaseLost;
    /** Run at each claim (a claim that takes time on a test clock). */
    Runnable onClaim = () -> {};

    private final List<NotifyTaskVO> releasedTasks = new ArrayList<>();
    int claims;
    private boolean deferring;

    OnePageStore(List<NotifyTaskVO> page) {
        this.page = page;
    }

    @Override
    public List<NotifyTaskVO> claimDue(
            Instant now,
            Instant dueBy,
            int shardIndex,
            int shardTotal,
            int limit,
            int oneByOneLimit,
            String worker,
            Instant leaseUntil) {
        claims++;
        onClaim.run();
        if (page.isEmpty() && !releasedTasks.isEmpty()) {
            page = List.copyOf(releasedTasks);
            releasedTasks.clear();
        }
        if (page.isEmpty()) {
            return List.of();
        }
        leases.add(leaseUntil);
        claimLimits.add(limit);
        claimLimits.add(oneByOneLimit);
        List<NotifyTaskVO> claimed = page;
        page = List.of();
        return claimed;
    }

    /** Tasks a claim by id takes (once each), by id; none unless a test adds them. */
    final Map<Long, NotifyTaskVO> claimable = new LinkedHashMap<>();

    @Override
    public List<Long> pendingTaskIdsOfTeam(String teamId) {
        return claimable.values().stream()
                .filter(t -> teamId.equals(t.getTeamId()))
                .map(NotifyTaskVO::getId)
                .toList();
    }

    @Override
    public NotifyTaskVO claim(long taskId, String worker, Instant now, Instant leaseUntil, boolean ignoreSchedule) {
        return claimable.remove(taskId);
    }

    @Override
    public List<Boolean> finishAttempts(List<NotifyAttemptOutcome> outcomes) {
        finishCalls.add(outcomes.size());
        finished.addAll(outcomes);
        return outcomes.stream().map(o -> true).toList();
    }

    /** Tasks may be put back unsent (a stopping run's); otherwise a put-back fails the test. */
    OnePageStore deferring() {
        this.deferring = true;
        return this;
    }

    @Override
    public List<Boolean> deferAll(List<NotifyPutBack> putBacks) {
        deferCalls.add(putBacks.size());
        return putBacks.stream().map(p -> putBack(p.task(), p.reason())).toList();
    }

    private boolean putBack(NotifyTaskVO task, String reason) {
        if (!deferring) {
            throw new AssertionError("this service does not defer unsent tasks");
        }
        if (takenOver.contains(task.getId())) {
            return false;
        }
        putBack.add(task.getId());
        putBackReasons.add(reason);
        return true;
    }

    @Override
    public boolean release(NotifyTaskVO task, String reason) {
        if (leaseLost) {
            return false;
        }
        released.add(task.getId());
        releasedTasks.add(task);
        return true;
    }
}
