package com.groupbuy.market.infrastructure.outbox.repository;

import com.groupbuy.market.domain.outbox.adapter.repository.INotifyTaskStore;
import com.groupbuy.market.domain.outbox.model.valobj.DeliveryResult;
import com.groupbuy.market.domain.outbox.model.valobj.NotifyAttemptOutcome;
import com.groupbuy.market.domain.outbox.model.valobj.NotifyPutBack;
import com.groupbuy.market.domain.outbox.model.valobj.NotifyTarget;
import com.groupbuy.market.domain.outbox.model.valobj.NotifyTaskStatus;
import com.groupbuy.market.domain.outbox.model.valobj.NotifyTaskVO;
import com.groupbuy.market.domain.trade.model.valobj.NotifyRoutes;
import com.groupbuy.market.infrastructure.ids.UniqueIds;
import com.groupbuy.market.infrastructure.mybatis.DeadlockVictims;
import com.groupbuy.market.infrastructure.mybatis.UtcInstantTypeHandler;
import com.groupbuy.market.infrastructure.outbox.dao.INotifyDeferralDao;
import com.groupbuy.market.infrastructure.outbox.dao.INotifyTaskDao;
import com.groupbuy.market.infrastructure.outbox.po.NotifyTaskPO;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import org.apache.ibatis.executor.BatchResult;
import org.apache.ibatis.session.ExecutorType;
import org.apache.ibatis.session.SqlSessionFactory;
import org.mybatis.spring.SqlSessionTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Leases (each under a fresh fencing token) and attempt records on notify_task / notify_attempt; tasks put back
 * unsent (#17) are a guarded update per page (per claim token and reason) and no notify_attempt row, since no call was
 * made; a close check the broker confirmed is its task's finish alone, no notify_attempt row either (#19, {@link
 * NotifyAttemptOutcome#keepsAttemptRow}).
 */
@Repository
public class NotifyTaskStore implements INotifyTaskStore {

    private static final int MAX_ERROR = 500;
    /** {@code notify_task.claimed_by}: who holds the lease, for operators (the fencing is the token). */
    static final int MAX_WORKER = 64;
    /** Candidates read per task wanted, so a batch fills even when other claimants took some meanwhile. */
    private static final int CANDIDATES_PER_TASK = 2;

    private static final int MAX_CLAIM_ROUNDS = 5;

    /** Tasks one put-back statement names at most, so its size stays bounded (a page may hold 2,500 MQ callbacks). */
    static final int PUT_BACKS_MAX = 500;

    /** Bytes of bodies one claim of the compensation run takes at most ({@code gbm.notify.page-bytes}). */
    private final NotifyPageBytes pageBytes;
    /**
     * Rows the first locking read of the next claim looks at when the last claim was cut by its bytes (twice the rows
     * it took), else 0 (as many as the page takes). The database reads the body of every row a locking read looks at
     * (its length decides), so a backlog of big bodies looked at a page of rows at a time read hundreds of megabytes
     * for the few a claim takes. Each further read of the same claim looks at twice as many as the one before, so a
     * backlog of small bodies after big ones still fills its page in a few statements.
     */
    private volatile int rowsWithinBytes;

    private final INotifyTaskDao dao;
    private final INotifyDeferralDao deferrals;
    /** The same statements on a batch executor: finishing a page sends its updates, then its inserts, in one go. */
    private final SqlSessionTemplate batch;

    private final INotifyTaskDao batchDao;
    private final TransactionTemplate transaction;
    /** Read committed: the batch claim's locking read takes no gap locks, so it never holds up settlements' inserts. */
    private final TransactionTemplate claimTransaction;

    private final Counter delivered;
    private final Counter failedAttempts;
    private final Counter failedTasks;
    private final NotifyAttemptMeter attempts;

    public NotifyTaskStore(
            INotifyTaskDao dao,
            INotifyDeferralDao deferrals,
            SqlSessionFactory sessions,
            TransactionTemplate transaction,
            MeterRegistry meters,
            NotifyPageBytes pageBytes) {
        this.dao = dao;
        this.pageBytes = pageBytes;
        this.deferrals = deferrals;
        this.batch = new SqlSessionTemplate(sessions, ExecutorType.BATCH);
        this.batchDao = batch.getMapper(INotifyTaskDao.class);
        this.transaction = transaction;
        this.claimTransaction = new TransactionTemplate(transaction.getTransactionManager());
        this.claimTransaction.setIsolationLevel(TransactionDefinition.ISOLATION_READ_COMMITTED);
        this.delivered = Counter.builder("gbm.notify.deliveries")
                .description("callbacks acknowledged")
                .register(meters);
        this.failedAttempts = Counter.builder("gbm.notify.failed.attempts")
                .description("callback attempts that failed")
                .register(meters);
        this.failedTasks = Counter.builder("gbm.notify.failed.tasks")
                .description("tasks that reached FAIL")
                .register(meters);
        this.attempts = new NotifyAttemptMeter(meters);
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
        String token = UniqueIds.hex32();
        String holder = holder(worker);
        long micros = leaseMicros(now, leaseUntil);
        List<NotifyTaskPO> taken = List.of();
        // Candidates are read without locks, then locked by primary key skipping what others hold. When others took
        // every candidate meanwhile, read again: each such round means another claimant made progress.
        for (int round = 0; round < MAX_CLAIM_ROUNDS && taken.isEmpty(); round++) {
            List<NotifyTaskPO> candidates = candidates(dueBy, shardIndex, shardTotal, limit, oneByOneLimit);
            if (candidates.isEmpty()) {
                return List.of();
            }
            // The rows the page would take first (at most 4 of a backlog of HTTP tasks), then spares for rows another
            // lane holds. Locked in that order and no more than the page takes: every row the locking read passes
            // stays locked to the end of the claim, and the other lanes read the same head of the queue meanwhile.
            List<Long> first = ids(within(candidates, oneByOneLimit));
            int take = Math.min(limit, first.size());
            Set<Long> wanted = new LinkedHashSet<>(first.subList(0, take));
            wanted.addAll(ids(within(candidates, oneByOneLimit * CANDIDATES_PER_TASK)));
            List<Long> order = List.copyOf(wanted);
            int lookAt = rowsWithinBytes;
            taken = claimTransaction.execute(status -> {
                List<NotifyTaskPO> locked = new ArrayList<>();
                long bytes = 0;
                int chunk = lookAt;
                // Locked in order until the page is full in rows or in bytes (the row that passes its bytes is the
                // last looked at). Each read brings at most a page's bytes of bodies: a body longer than the page's
                // bytes over the rows asked for is left out and read below if the page takes its row.
                for (int from = 0; locked.size() < take && bytes < pageBytes.bytes() && from < order.size(); ) {
                    int to = Math.min(order.size(), from + take - locked.size());
                    if (chunk > 0) {
                        to = Math.min(to, from + chunk);
                        chunk = (int) Math.min(order.size(), 2L * chunk);
                    }
                    for (NotifyTaskPO row : dao.lockStillDue(
                            order.subList(from, to),
                            dueBy,
                            to - from,
                            TaskStates.PENDING,
                            pageBytes.bytes() / (to - from))) {
                        locked.add(row);
                        bytes += bodyBytes(row);
                    }
                    from = to;
                }
                // The locked rows carry what delivery needs: they are what the claim returns, with the lease below.
                // Those past the page's bytes stay unleased (their locks end with this transaction): the next page.
                List<NotifyTaskPO> page = within(locked, oneByOneLimit);
                List<NotifyTaskPO> mine = pageBytes.fitting(page, NotifyTaskStore::bodyBytes);
                rowsWithinBytes = mine.size() < page.size() ? (int) Math.min(order.size(), 2L * mine.size()) : 0;
                if (!mine.isEmpty()) {
                    dao.leaseAll(ids(mine), holder, token, micros);
                    readLeftOutBodies(mine);
                }
                return mine;
            });
        }
        if (taken == null) {
            return List.of();
        }
        return taken.stream()
                .map(po -> {
                    po.setClaimedBy(holder);
                    po.setClaimToken(token);
                    return toTask(po);
                })
                .toList();
    }

    /**
     * The lease's length, which the database adds to its own clock: every lease is written and judged on that one
     * clock, so an instance whose clock is ahead or behind can neither take another's live lease (before, one two
     * minutes ahead took a lease the moment it was written and sent the callback a second time) nor hold its own too
     * long or too short. The claimant times its own sends against {@code leaseUntil} on its clock, which starts before
     * the database's, so it stops first.
     */
    static long leaseMicros(Instant now, Instant leaseUntil) {
        return ChronoUnit.MICROS.between(now, leaseUntil);
    }

    /**
     * Due candidates for a page: first as many as its one-by-one share needs; a page's worth only when MQ tasks are
     * among them (they may fill the page). A backlog of HTTP tasks is read a few rows per claim, as before MQ pages:
     * reading 500 candidates to lease 4 HTTP tasks cut the HTTP drain to a third. Among tasks due at the very same
     * millisecond the index puts HTTP before MQ, so such MQ tasks go out right after those HTTP tasks.
     */
    private List<NotifyTaskPO> candidates(Instant dueBy, int shardIndex, int shardTotal, int limit, int oneByOneLimit) {
        int few = Math.min(limit, oneByOneLimit) * CANDIDATES_PER_TASK;
        List<NotifyTaskPO> candidates = dao.queryDueCandidates(dueBy, shardIndex, shardTotal, few, TaskStates.PENDING);
        boolean pageMayFill = few < limit * CANDIDATES_PER_TASK
                && candidates.size() == few
                && candidates.stream().anyMatch(c -> sentTogether(c.getNotifyType()));
        return pageMayFill
                ? dao.queryDueCandidates(dueBy, shardIndex, shardTotal, limit * CANDIDATES_PER_TASK, TaskStates.PENDING)
                : candidates;
    }

    private static long bodyBytes(NotifyTaskPO row) {
        return row.getBodyBytes() == null ? 0 : row.getBodyBytes();
    }

    /**
     * The bodies the locking read left out of these leased rows (each longer than that read's share of the page's
     * bytes), read by id in one statement: only the rows the page took.
     */
    private void readLeftOutBodies(List<NotifyTaskPO> rows) {
        Map<Long, NotifyTaskPO> leftOut = new LinkedHashMap<>();
        for (NotifyTaskPO row : rows) {
            if (row.getBody() == null && row.getBodyBytes() != null) {
                leftOut.put(row.getId(), row);
            }
        }
        if (leftOut.isEmpty()) {
            return;
        }
        for (NotifyTaskPO read : dao.queryBodies(List.copyOf(leftOut.keySet()))) {
            leftOut.get(read.getId()).setBody(read.getBody());
        }
    }

    /** MQ callbacks and our close checks (#15) of a page are published together and their confirms awaited together. */
    private static boolean sentTogether(String notifyType) {
        return NotifyTarget.MQ.equals(notifyType) || NotifyTarget.DELAY.equals(notifyType);
    }

    private static List<Long> ids(List<NotifyTaskPO> tasks) {
        return tasks.stream().map(NotifyTaskPO::getId).toList();
    }

    /** The tasks in order, passing over those sent one by one (HTTP) beyond the first {@code oneByOneLimit}. */
    private static List<NotifyTaskPO> within(List<NotifyTaskPO> tasks, int oneByOneLimit) {
        List<NotifyTaskPO> kept = new ArrayList<>(tasks.size());
        int oneByOne = 0;
        for (NotifyTaskPO task : tasks) {
            if (sentTogether(task.getNotifyType()) || oneByOne++ < oneByOneLimit) {
                kept.add(task);
            }
        }
        return kept;
    }

    @Override
    public List<NotifyTaskVO> claimAll(List<Long> taskIds, String worker, Instant now, Instant leaseUntil) {
        if (taskIds.isEmpty()) {
            return List.of();
        }
        String token = UniqueIds.hex32();
        String holder = holder(worker);
        long micros = leaseMicros(now, leaseUntil);
        List<NotifyTaskPO> taken = claimTransaction.execute(status -> {
            // Close checks handed over after their locks committed: small, a page of them as the relay gathered it.
            List<NotifyTaskPO> locked =
                    dao.lockStillDue(taskIds, now, taskIds.size(), TaskStates.PENDING, Long.MAX_VALUE);
            if (!locked.isEmpty()) {
                dao.leaseAll(ids(locked), holder, token, micros);
            }
            return locked;
        });
        if (taken == null) {
            return List.of();
        }
        return taken.stream()
                .map(po -> {
                    po.setClaimedBy(holder);
                    po.setClaimToken(token);
                    return toTask(po);
                })
                .toList();
    }

    @Override
    public List<Long> pendingTaskIdsOfTeam(String teamId) {
        return dao.queryPendingIdsByTeam(teamId, TaskStates.PENDING);
    }

    @Override
    public NotifyTaskVO claim(long taskId, String worker, Instant now, Instant leaseUntil, boolean ignoreSchedule) {
        if (dao.claim(
                        taskId,
                        holder(worker),
                        UniqueIds.hex32(),
                        now,
                        leaseMicros(now, leaseUntil),
                        ignoreSchedule,
                        TaskStates.PENDING)
                == 0) {
            return null;
        }
        return toTask(dao.queryById(taskId));
    }

    /**
     * One transaction for the whole page. Outcomes that are alike (one claim token, one new state, one error: a batch
     * of MQ tasks the broker confirmed; the after-commit callbacks the recorder writes together, each delivered under
     * the dispatcher's one lease) are finished by one UPDATE per such group, guarded by the claim's token; each group's
     * row count must be its size, else the transaction is rolled back and the page finished task by task. Outcomes
     * alike with no other (and, on the fallback, every task) go task by task: one JDBC batch of token-guarded UPDATEs
     * (with {@code rewriteBatchedStatements} one round trip), whose per-statement row counts say which tasks were
     * still held. Either way the attempt rows of exactly those tasks go in as a second batch (one multi-row INSERT), and
     * a task whose token no longer matches (its lease was taken over) gets neither its state nor its attempt row; a
     * close check the broker confirmed gets no attempt row ({@link NotifyAttemptOutcome#keepsAttemptRow}).
     */
    @Override
    public List<Boolean> finishAttempts(List<NotifyAttemptOutcome> outcomes) {
        if (outcomes.isEmpty()) {
            return List.of();
        }
        List<List<Integer>> groups = alikeGroups(outcomes);
        // A deadlock's victim was rolled back whole (its tasks still hold their tokens): written again, as the trade
        // writers do, rather than thrown — thrown, the page's delivered callbacks were sent again once their leases
        // ended, and a compensation run ended there. Each transaction is this method's own, never a caller's.
        List<Boolean> ours = groups.size() < outcomes.size()
                ? DeadlockVictims.writeAgain(
                        () -> transaction.execute(status -> finishTogether(outcomes, groups, status)),
                        () -> finishing(outcomes))
                : null;
        if (ours == null) {
            ours = DeadlockVictims.writeAgain(
                    () -> transaction.execute(status -> finishEach(outcomes)), () -> finishing(outcomes));
        }
        for (int i = 0; i < outcomes.size(); i++) {
            NotifyAttemptOutcome outcome = outcomes.get(i);
            (outcome.result().delivered() ? delivered : failedAttempts).increment();
            attempts.record(outcome.task(), outcome.result());
            if (ours.get(i) && outcome.newStatus() == NotifyTaskStatus.FAIL) {
                failedTasks.increment();
            }
        }
        return ours;
    }

    private static String finishing(List<NotifyAttemptOutcome> outcomes) {
        return "notify outcomes of " + outcomes.size() + " tasks (first task="
                + outcomes.get(0).task().getId() + "):";
    }

    /**
     * The page's outcomes (their indices, in page order) grouped by what one UPDATE can finish together: the same claim
     * token, new state and error; each task keeps its own next time (the after-commit callbacks recorded together were
     * delivered at different times). A page can mix claims: the recorder's holds the dispatcher's leased callbacks and
     * the few claimed one by one when its pool was full. An outcome without a token is a group of its own.
     */
    static List<List<Integer>> alikeGroups(List<NotifyAttemptOutcome> outcomes) {
        Map<List<Object>, List<Integer>> groups = new LinkedHashMap<>();
        for (int i = 0; i < outcomes.size(); i++) {
            NotifyAttemptOutcome outcome = outcomes.get(i);
            String token = outcome.task().getClaimToken();
            List<Object> key =
                    token == null ? List.of(i) : Arrays.asList(token, outcome.newStatus(), error(outcome.result()));
            groups.computeIfAbsent(key, k -> new ArrayList<>()).add(i);
        }
        return new ArrayList<>(groups.values());
    }

    /**
     * Each group of alike outcomes by one UPDATE, all of it or nothing (null, and the transaction rolled back, unless
     * every task of the group still held the token); the outcomes alike with no other task by task.
     */
    private List<Boolean> finishTogether(
            List<NotifyAttemptOutcome> outcomes, List<List<Integer>> groups, TransactionStatus status) {
        List<Integer> alone = new ArrayList<>();
        for (List<Integer> group : groups) {
            if (group.size() == 1) {
                alone.add(group.get(0));
                continue;
            }
            List<NotifyAttemptOutcome> page = new ArrayList<>(group.size());
            for (int i : group) {
                page.add(outcomes.get(i));
            }
            NotifyAttemptOutcome first = page.get(0);
            batchDao.finishAll(
                    pageArray(page),
                    first.task().getClaimToken(),
                    first.newStatus().code(),
                    error(first.result()));
            int[] matched = updateCounts(batch.flushStatements(), 1);
            if (matched[0] != page.size()) {
                status.setRollbackOnly();
                return null;
            }
        }
        List<Boolean> recorded = new ArrayList<>(Collections.nCopies(outcomes.size(), true));
        if (!alone.isEmpty()) {
            for (int i : alone) {
                finishOne(outcomes.get(i));
            }
            int[] matched = updateCounts(batch.flushStatements(), alone.size());
            for (int k = 0; k < alone.size(); k++) {
                recorded.set(alone.get(k), matched[k] == 1);
            }
        }
        List<NotifyAttemptOutcome> rows = attemptRows(outcomes, recorded);
        if (rows.isEmpty()) {
            return recorded;
        }
        if (groups.size() == 1 && attemptsAlike(rows)) {
            NotifyAttemptOutcome first = rows.get(0);
            batchDao.insertAttemptsAlike(
                    attemptArray(rows),
                    first.attemptTime(),
                    first.result().httpStatus(),
                    first.result().delivered(),
                    error(first.result()));
            batch.flushStatements();
        } else {
            insertAttempts(rows);
        }
        return recorded;
    }

    /**
     * The outcomes that get an attempt row: those written under their task's token, but a close check's confirmed
     * publish ({@link NotifyAttemptOutcome#keepsAttemptRow}: nothing reads that row). A page of close checks the broker
     * confirmed, the relay's every page, so writes no INSERT at all.
     */
    static List<NotifyAttemptOutcome> attemptRows(List<NotifyAttemptOutcome> outcomes, List<Boolean> recorded) {
        List<NotifyAttemptOutcome> rows = new ArrayList<>(outcomes.size());
        for (int i = 0; i < outcomes.size(); i++) {
            if (recorded.get(i) && outcomes.get(i).keepsAttemptRow()) {
                rows.add(outcomes.get(i));
            }
        }
        return rows;
    }

    /**
     * Attempts whose rows differ only in task, attempt number and latency ({@code alike} pages share the status, so
     * the success, and the error already).
     */
    private static boolean attemptsAlike(List<NotifyAttemptOutcome> outcomes) {
        NotifyAttemptOutcome first = outcomes.get(0);
        for (NotifyAttemptOutcome o : outcomes) {
            if (!o.attemptTime().equals(first.attemptTime())
                    || !Objects.equals(o.result().httpStatus(), first.result().httpStatus())
                    || o.result().delivered() != first.result().delivered()
                    || !Objects.equals(error(o.result()), error(first.result()))) {
                return false;
            }
        }
        return true;
    }

    /** {@code [task id, attempt number, latency ms]} of each outcome, as a JSON array, for insertAttemptsAlike. */
    static String attemptArray(List<NotifyAttemptOutcome> outcomes) {
        StringBuilder array = new StringBuilder(2 + outcomes.size() * 20).append('[');
        for (int i = 0; i < outcomes.size(); i++) {
            NotifyAttemptOutcome outcome = outcomes.get(i);
            if (i > 0) {
                array.append(',');
            }
            array.append('[')
                    .append(outcome.task().getId())
                    .append(',')
                    .append(outcome.task().getNotifyCount() + 1)
                    .append(',')
                    .append(outcome.result().latencyMs())
                    .append(']');
        }
        return array.append(']').toString();
    }

    /**
     * {@code [task id, "next attempt time"]} of each outcome, as a JSON array, for {@code finishAll}'s one parameter;
     * the time as the UTC text every Instant parameter is bound as ({@link UtcInstantTypeHandler}).
     */
    static String pageArray(List<NotifyAttemptOutcome> outcomes) {
        return idTimeArray(outcomes, o -> o.task().getId(), NotifyAttemptOutcome::nextAttemptTime);
    }

    /** {@code [id, "time"]} of each row as a JSON array, the time as {@link UtcInstantTypeHandler} binds an Instant. */
    private static <T> String idTimeArray(List<T> rows, Function<T, Long> id, Function<T, Instant> time) {
        StringBuilder array = new StringBuilder(2 + rows.size() * 40).append('[');
        for (int i = 0; i < rows.size(); i++) {
            T row = rows.get(i);
            if (i > 0) {
                array.append(',');
            }
            array.append('[')
                    .append(id.apply(row))
                    .append(",\"")
                    .append(UtcInstantTypeHandler.toDatabaseText(time.apply(row)))
                    .append("\"]");
        }
        return array.append(']').toString();
    }

    private List<Boolean> finishEach(List<NotifyAttemptOutcome> outcomes) {
        for (NotifyAttemptOutcome outcome : outcomes) {
            finishOne(outcome);
        }
        int[] matched = updateCounts(batch.flushStatements(), outcomes.size());
        List<Boolean> recorded = new ArrayList<>(outcomes.size());
        for (int count : matched) {
            recorded.add(count == 1);
        }
        List<NotifyAttemptOutcome> rows = attemptRows(outcomes, recorded);
        if (!rows.isEmpty()) {
            insertAttempts(rows);
        }
        return recorded;
    }

    /** One task's token-guarded finish, queued on the batch session (its row count comes with the flush). */
    private void finishOne(NotifyAttemptOutcome outcome) {
        batchDao.finishAttempt(
                outcome.task().getId(),
                outcome.task().getClaimToken(),
                outcome.newStatus().code(),
                outcome.nextAttemptTime(),
                error(outcome.result()));
    }

    /** These attempt rows, one JDBC batch. */
    private void insertAttempts(List<NotifyAttemptOutcome> rows) {
        for (NotifyAttemptOutcome outcome : rows) {
            DeliveryResult result = outcome.result();
            batchDao.insertAttempt(
                    outcome.task().getId(),
                    outcome.task().getNotifyCount() + 1,
                    outcome.attemptTime(),
                    result.httpStatus(),
                    result.latencyMs(),
                    result.delivered(),
                    error(result));
        }
        batch.flushStatements();
    }

    /** The row count of each statement of one flushed batch of {@code expected} updates. */
    private static int[] updateCounts(List<BatchResult> flushed, int expected) {
        int[] counts = flushed.stream()
                .flatMapToInt(r -> Arrays.stream(r.getUpdateCounts()))
                .toArray();
        if (counts.length != expected) {
            throw new IllegalStateException(
                    "a batch of " + expected + " finishing updates reported " + counts.length + " row counts");
        }
        for (int count : counts) {
            // Without per-statement counts the fencing guard could not tell which tasks are ours: refuse to guess.
            if (count == Statement.SUCCESS_NO_INFO || count == Statement.EXECUTE_FAILED) {
                throw new IllegalStateException("the driver gave no row count for a finishing update");
            }
        }
        return counts;
    }

    /**
     * The worker as {@code claimed_by} holds it: the JVM's {@code pid@hostname} and a suffix can be longer than the
     * column on a host with a long name, and strict mode refused the lease's UPDATE, so no task could be leased there.
     */
    static String holder(String worker) {
        return worker == null || worker.length() <= MAX_WORKER ? worker : worker.substring(0, MAX_WORKER);
    }

    private static String error(DeliveryResult result) {
        return cut(result.error());
    }

    /** A last error as stored: at most {@link #MAX_ERROR} characters. */
    private static String cut(String error) {
        return error == null ? null : error.substring(0, Math.min(MAX_ERROR, error.length()));
    }

    /**
     * A stored row as the task a delivery works with (also a row just written under a lease). Our own refund event goes
     * to its internal key whatever the row holds: rows written before that key existed hold the partners' refund key.
     */
    static NotifyTaskVO toTask(NotifyTaskPO po) {
        return NotifyTaskVO.builder()
                .id(po.getId())
                .webhookId(po.getWebhookId())
                .teamId(po.getTeamId())
                .source(po.getSource())
                .channel(po.getChannel())
                .notifyCategory(po.getNotifyCategory())
                .notifyType(po.getNotifyType())
                .notifyMq(
                        NotifyRoutes.isRefundEvent(po.getNotifyType(), po.getTaskKey())
                                ? NotifyRoutes.REFUND_EVENT_KEY
                                : po.getNotifyMq())
                .notifyUrl(po.getNotifyUrl())
                .body(po.getBody())
                .notifyCount(po.getNotifyCount())
                .claimToken(po.getClaimToken())
                .build();
    }

    /**
     * A page's put-backs grouped by what one UPDATE puts back together: the same claim token and reason (as stored,
     * cut to the column); each task keeps its own due time (a blocked broker's refusals name each their own). Each
     * group, in chunks of at most {@link #PUT_BACKS_MAX}, is one UPDATE in a transaction of its own, each row guarded
     * by its id and the token. Before, each task was a statement and a commit of its own: ~2,000 for a page of MQ
     * callbacks our broker's block refused. A chunk that matched fewer rows than it names (a lease taken over
     * meanwhile) is rolled back and written again as the rows it still holds, locked by one read, then put back by one
     * UPDATE: only a taken-over row is left alone. Whichever pending state a task is in (INIT or RETRY), a deferral
     * moves it to the same one. A task without a token holds no lease to put back.
     */
    @Override
    public List<Boolean> deferAll(List<NotifyPutBack> putBacks) {
        List<Boolean> putBack = new ArrayList<>(Collections.nCopies(putBacks.size(), false));
        Map<List<String>, List<Integer>> groups = new LinkedHashMap<>();
        for (int i = 0; i < putBacks.size(); i++) {
            NotifyPutBack back = putBacks.get(i);
            String token = back.task().getClaimToken();
            if (token != null) {
                groups.computeIfAbsent(Arrays.asList(token, cut(back.reason())), k -> new ArrayList<>())
                        .add(i);
            }
        }
        for (Map.Entry<List<String>, List<Integer>> group : groups.entrySet()) {
            List<Integer> indices = group.getValue();
            for (int from = 0; from < indices.size(); from += PUT_BACKS_MAX) {
                List<Integer> chunk = indices.subList(from, Math.min(indices.size(), from + PUT_BACKS_MAX));
                Map<Long, NotifyPutBack> rows = new LinkedHashMap<>();
                for (int i : chunk) {
                    rows.putIfAbsent(putBacks.get(i).task().getId(), putBacks.get(i));
                }
                Set<Long> held = putBack(
                        List.copyOf(rows.values()),
                        group.getKey().get(0),
                        group.getKey().get(1));
                for (int i : chunk) {
                    putBack.set(i, held.contains(putBacks.get(i).task().getId()));
                }
            }
        }
        return putBack;
    }

    /** These tasks (distinct) put back under {@code token} with {@code error}; the ids of those that still held it. */
    private Set<Long> putBack(List<NotifyPutBack> rows, String token, String error) {
        int to = NotifyTaskStatus.RETRY.defer().code();
        String array = putBackArray(rows);
        Set<Long> all = DeadlockVictims.writeAgain(
                () -> transaction.execute(status -> {
                    if (deferrals.deferAll(array, token, error, TaskStates.PENDING, to) == rows.size()) {
                        return new HashSet<>(putBackIds(rows));
                    }
                    status.setRollbackOnly();
                    return null;
                }),
                () -> putBacksOf(rows));
        if (all != null) {
            return all;
        }
        return DeadlockVictims.writeAgain(
                () -> transaction.execute(status -> {
                    Set<Long> held = new HashSet<>(deferrals.lockHeld(array, token, TaskStates.PENDING));
                    List<NotifyPutBack> mine = rows.stream()
                            .filter(r -> held.contains(r.task().getId()))
                            .toList();
                    if (!mine.isEmpty()
                            && deferrals.deferAll(putBackArray(mine), token, error, TaskStates.PENDING, to)
                                    != mine.size()) {
                        throw new IllegalStateException(putBacksOf(rows) + " rows locked as held were not put back");
                    }
                    return held;
                }),
                () -> putBacksOf(rows));
    }

    private static List<Long> putBackIds(List<NotifyPutBack> rows) {
        return rows.stream().map(r -> r.task().getId()).toList();
    }

    private static String putBacksOf(List<NotifyPutBack> rows) {
        return "notify put-backs of " + rows.size() + " tasks (first task="
                + rows.get(0).task().getId() + "):";
    }

    /**
     * {@code [task id, "due time"]} of each put-back, as a JSON array, for {@code deferAll}'s one parameter; the time
     * as the UTC text every Instant parameter is bound as ({@link UtcInstantTypeHandler}).
     */
    static String putBackArray(List<NotifyPutBack> rows) {
        return idTimeArray(rows, r -> r.task().getId(), NotifyPutBack::until);
    }

    @Override
    public boolean release(NotifyTaskVO task, String reason) {
        return deferrals.release(task.getId(), task.getClaimToken(), cut(reason)) == 1;
    }
}
