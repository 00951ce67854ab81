package com.groupbuy.market.infrastructure.outbox.dao;

import com.groupbuy.market.infrastructure.outbox.po.NotifyTaskPO;
import java.time.Instant;
import java.util.List;
import org.apache.ibatis.annotations.Mapper;
import org.apache.ibatis.annotations.Param;

/** Statements on notify_task (the callback outbox). */
@Mapper
public interface INotifyTaskDao {

    /**
     * Inserts unless the task key exists, and fails on any other error (a value too long for its column, a NULL for a
     * NOT NULL one). Sets the task's id only when it inserted it: a taken key leaves the id null (and counts 1 row, as
     * an insert does: Connector/J reports found rows), so the id, not the count, tells the two apart.
     */
    int insertUnlessTaken(NotifyTaskPO task);

    /**
     * {@link #insertUnlessTaken} of many rows in one multi-row statement: a taken key's row is skipped, any other error
     * fails the statement whole. Sets no ids: the caller reads them by key ({@link #queryIdsByTaskKeys}).
     */
    int insertAllUnlessTaken(@Param("tasks") List<NotifyTaskPO> tasks);

    /**
     * A new task (a taken key fails it), queued on a batch session ({@code BatchInserts}) with the others of
     * its batch, which the driver sends as one multi-row statement; its id is set at the flush from the generated keys,
     * which are right only while the server hands one statement consecutive ids.
     */
    void insertNew(NotifyTaskPO task);

    /** The server's auto-increment lock mode (InnoDB): up to 1, a multi-row insert gets consecutive ids. */
    Integer autoIncrementLockMode();

    Long queryIdByTaskKey(@Param("taskKey") String taskKey);

    /** Id and key of the tasks under these keys (uq_task_key), in no particular order. */
    List<NotifyTaskPO> queryIdsByTaskKeys(@Param("keys") List<String> taskKeys);

    NotifyTaskPO queryById(@Param("id") long id);

    /**
     * Takes the lease on a due task under a new token, for {@code leaseMicros} from now by the database's clock (which
     * judges every lease); 0 rows when it is done, not due at {@code now}, or leased by a live claimant.
     */
    int claim(
            @Param("id") long id,
            @Param("worker") String worker,
            @Param("token") String token,
            @Param("now") Instant now,
            @Param("leaseMicros") long leaseMicros,
            @Param("ignoreSchedule") boolean ignoreSchedule,
            @Param("pending") List<Integer> pendingStatuses);

    /**
     * Due, unleased tasks of this shard (id mod total = index), oldest first, with only their id and notify type
     * filled; a plain read, no locks.
     */
    List<NotifyTaskPO> queryDueCandidates(
            @Param("now") Instant now,
            @Param("shardIndex") int shardIndex,
            @Param("shardTotal") int shardTotal,
            @Param("limit") int limit,
            @Param("pending") List<Integer> pendingStatuses);

    /**
     * Of these candidates, those still due and unleased (what a delivery needs of each row), oldest first, locked for this transaction; rows
     * another claimant is locking are skipped rather than waited for. Each row comes with its body's length in bytes
     * ({@code bodyBytes}), and with its body only if that is at most {@code inlineBytes} (a row's own length, never a
     * sum over rows): the claim decides in Java which rows its page's bytes take, and reads the bodies left out of
     * those rows by {@link #queryBodies}.
     */
    List<NotifyTaskPO> lockStillDue(
            @Param("ids") List<Long> ids,
            @Param("now") Instant now,
            @Param("limit") int limit,
            @Param("pending") List<Integer> pendingStatuses,
            @Param("inlineBytes") long inlineBytes);

    /** The bodies of these tasks (id and body only): those a claim leased whose locking read left them out. */
    List<NotifyTaskPO> queryBodies(@Param("ids") List<Long> ids);

    /**
     * One lease for every id of a batch (locked by {@link #lockStillDue} in the same transaction), for
     * {@code leaseMicros} from now by the database's clock.
     */
    int leaseAll(
            @Param("ids") List<Long> ids,
            @Param("worker") String worker,
            @Param("token") String token,
            @Param("leaseMicros") long leaseMicros);

    /**
     * Records the outcome of an attempt made under this lease token and releases the lease; 1 row when the task still
     * holds the token, else 0 (also run as a JDBC batch, one statement per task, whose counts say which matched).
     */
    int finishAttempt(
            @Param("id") long id,
            @Param("token") String token,
            @Param("status") int status,
            @Param("nextAttemptTime") Instant nextAttemptTime,
            @Param("lastError") String lastError);

    /**
     * {@link #finishAttempt} of several tasks of one claim whose outcomes share their state and error; the row count is
     * how many of them still held the token. {@code pageArray}: each task's id and next attempt time as a JSON array of
     * pairs ({@code [[1,"2026-12-02 03:50:00.123"],..]}, UTC, {@link
     * com.groupbuy.market.infrastructure.outbox.repository.NotifyTaskStore}), one parameter whatever their number, so
     * the statement's text is the same for every page.
     */
    int finishAll(
            @Param("pageArray") String pageArray,
            @Param("token") String token,
            @Param("status") int status,
            @Param("lastError") String lastError);

    List<Long> queryPendingIdsByTeam(@Param("teamId") String teamId, @Param("pending") List<Integer> pendingStatuses);

    /**
     * The attempt rows of a finished page whose attempts share their time, HTTP status, success and error (#19: a
     * confirmed batch of close checks or MQ tasks), as one statement of static text: {@code attemptArray} is a JSON
     * array of {@code [task id, attempt number, latency ms]} triples, one per row.
     */
    void insertAttemptsAlike(
            @Param("attemptArray") String attemptArray,
            @Param("attemptTime") Instant attemptTime,
            @Param("httpStatus") Integer httpStatus,
            @Param("success") boolean success,
            @Param("error") String error);

    void insertAttempt(
            @Param("taskId") long taskId,
            @Param("attemptNo") int attemptNo,
            @Param("attemptTime") Instant attemptTime,
            @Param("httpStatus") Integer httpStatus,
            @Param("latencyMs") long latencyMs,
            @Param("success") boolean success,
            @Param("error") String error);
}
