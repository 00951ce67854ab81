package com.groupbuy.market.infrastructure.trade.repository;

import com.groupbuy.market.domain.outbox.adapter.repository.INotifyTaskRepository;
import com.groupbuy.market.domain.outbox.model.entity.NotifyTaskEntity;
import com.groupbuy.market.domain.outbox.model.valobj.NotifyLease;
import com.groupbuy.market.domain.outbox.model.valobj.NotifyTaskVO;
import com.groupbuy.market.domain.trade.model.aggregate.LockOrderAggregate;
import com.groupbuy.market.domain.trade.model.valobj.TeamStatus;
import com.groupbuy.market.infrastructure.mybatis.BatchInserts;
import com.groupbuy.market.infrastructure.trade.dao.IGroupBuyOrderDao;
import com.groupbuy.market.infrastructure.trade.dao.IGroupBuyOrderListDao;
import com.groupbuy.market.infrastructure.trade.po.GroupBuyOrderListPO;
import com.groupbuy.market.infrastructure.trade.po.TeamPO;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Several locks in one transaction (group commit, #19): the new teams' multi-row insert, then each join's guarded
 * {@code takePlace} as a statement of its own (the same guard as a lock written alone), then one multi-row insert each
 * for the member rows and the close checks (each a JDBC batch of the single-row insert, {@link BatchInserts}: one SQL
 * text whatever the batch size), then one commit. Each lock's close checks carry its lease for the close-check relay,
 * as when it is written alone, so the relay publishes them without claiming them; a batch rolled back leaves none. A
 * join the guard refuses wrote nothing and is answered {@code E0005}, or {@code E0206} when its team had a place left
 * but failed or ended since it was read ({@link Teams#placeRefused}), while the others go on; any other failure (a
 * unique key, a deadlock, the database gone) rolls the whole batch back and throws, and each lock is then written
 * alone, so every caller gets the answer it gets today — except after a lost connection (the database gone, the socket
 * timeout), which each caller answers E0401 at once ({@link LockGroupCommit}).
 */
@Component
public class LockBatchWriter {

    /** Joins take their teams' rows in team id order, so two transactions joining the same teams queue, not deadlock. */
    private static final Comparator<LockOrderAggregate> BY_TEAM = Comparator.comparing(LockOrderAggregate::getTeamId);

    private final IGroupBuyOrderDao teamDao;
    private final IGroupBuyOrderListDao orderDao;
    private final BatchInserts batch;
    private final TransactionTemplate transaction;
    private final INotifyTaskRepository notifyTasks;

    public LockBatchWriter(
            IGroupBuyOrderDao teamDao,
            IGroupBuyOrderListDao orderDao,
            BatchInserts batch,
            TransactionTemplate transaction,
            INotifyTaskRepository notifyTasks) {
        this.teamDao = teamDao;
        this.orderDao = orderDao;
        this.batch = batch;
        this.transaction = transaction;
        this.notifyTasks = notifyTasks;
    }

    /** One outcome per lock, in the order given, once committed; throws (all rolled back) when any write failed. */
    public List<LockOutcome> write(List<LockOrderAggregate> locks) {
        return write(locks, () -> {});
    }

    /**
     * As {@link #write(List)}; {@code statementsWritten} is called once every statement of the batch has been sent and
     * only its commit is left (group commit then lets the next batch's statements start on another connection). A
     * commit that fails after every statement succeeded may have committed (its answer lost): the batch's order ids
     * are read back first ({@link UnknownCommits}), and a batch found written is answered as written, never rewritten
     * lock by lock (which found its own rows' unique keys taken and gave the committed locks' Redis places back).
     */
    public List<LockOutcome> write(List<LockOrderAggregate> locks, Runnable statementsWritten) {
        return UnknownCommits.execute(
                transaction,
                status -> {
                    GroupCommitEvents.Statements event = new GroupCommitEvents.Statements();
                    event.begin();
                    List<LockOutcome> outcomes = writeTogether(locks);
                    event.end();
                    if (event.shouldCommit()) {
                        event.group = "lock";
                        event.size = locks.size();
                        event.commit();
                    }
                    statementsWritten.run();
                    return outcomes;
                },
                this::committed);
    }

    /** Whether every lock the batch wrote has its row: one transaction, so all of them or none. */
    private boolean committed(List<LockOutcome> outcomes) {
        List<String> written = outcomes.stream()
                .filter(o -> o.order() != null)
                .map(o -> o.order().getOrderId())
                .toList();
        // A batch of refusals wrote nothing: its answers hold whether or not its commit went through.
        return written.isEmpty() || orderDao.queryExistingOrderIds(written).containsAll(written);
    }

    private List<LockOutcome> writeTogether(List<LockOrderAggregate> locks) {
        LockOutcome[] outcomes = new LockOutcome[locks.size()];
        IGroupBuyOrderDao batchedTeams = batch.mapper(IGroupBuyOrderDao.class);
        IGroupBuyOrderListDao batchedOrders = batch.mapper(IGroupBuyOrderListDao.class);

        // The new teams first, before any team row is locked. Inserted after the joins' takePlace (as until
        // 2026-12-02), a new team whose id falls in the uq_team_id gap before a team this batch had just locked waited
        // for any transaction queued for that team's row with a gap-including lock (the place reconciler's
        // SELECT ... FOR UPDATE, a lock written alone): that one waited for this batch, and InnoDB rolled one of them
        // back (a refused joiner's look answered 0001). Holding no lock yet, the batch waits for nobody who waits for
        // it. Same statements and round trips: the teams' multi-row INSERT, then the members' (BatchInserts).
        List<TeamPO> teams = locks.stream()
                .filter(LockOrderAggregate::isNewTeam)
                .map(LockRows::team)
                .toList();
        if (!teams.isEmpty()) {
            teams.forEach(batchedTeams::insert);
            int rows = batch.flush();
            if (rows != teams.size()) {
                throw new IllegalStateException(teams.size() + " teams queued but " + rows + " rows written");
            }
        }

        List<Integer> joins = IntStream.range(0, locks.size())
                .filter(i -> !locks.get(i).isNewTeam())
                .boxed()
                .sorted(Comparator.comparing(locks::get, BY_TEAM))
                .toList();
        for (int i : joins) {
            LockOrderAggregate join = locks.get(i);
            // Two joins of one team in a batch run one after the other: the second sees the first's place taken.
            if (teamDao.takePlace(join.getTeamId(), join.getValidStartTime(), TeamStatus.OPEN.code()) == 0) {
                outcomes[i] =
                        LockOutcome.refused(Teams.placeRefused(teamDao, join.getTeamId(), join.getValidStartTime()));
            }
        }
        List<Integer> going = IntStream.range(0, locks.size())
                .filter(i -> outcomes[i] == null)
                .boxed()
                .toList();
        if (going.isEmpty()) {
            return List.of(outcomes);
        }

        List<GroupBuyOrderListPO> orders = new ArrayList<>(going.size());
        List<NotifyTaskEntity> checks = new ArrayList<>();
        List<NotifyLease> leases = new ArrayList<>();
        for (int i : going) {
            LockOrderAggregate lock = locks.get(i);
            orders.add(LockRows.order(lock));
            for (NotifyTaskEntity check : LockRows.closeChecks(lock)) {
                checks.add(check);
                leases.add(lock.getCloseCheckLease()); // null: written unleased, handed over by id
            }
        }
        // Queued, then sent at the flush as one multi-row INSERT; the checks are the outbox's own batch.
        orders.forEach(batchedOrders::insert);
        int rows = batch.flush();
        if (rows != orders.size()) {
            throw new IllegalStateException(orders.size() + " orders queued but " + rows + " rows written");
        }
        List<NotifyTaskVO> written = notifyTasks.saveNewTasks(checks, leases);

        // The checks in the order written: each lock takes as many as it wrote checks.
        int next = 0;
        for (int k = 0; k < going.size(); k++) {
            int i = going.get(k);
            LockOrderAggregate lock = locks.get(i);
            int count = lock.getCloseChecks().size();
            List<NotifyTaskVO> own = List.copyOf(written.subList(next, next + count));
            next += count;
            outcomes[i] = LockOutcome.written(
                    count == 0
                            ? LockRows.toOrder(orders.get(k), null)
                            : LockRows.toOrder(
                                    orders.get(k),
                                    own.stream().map(NotifyTaskVO::getId).toList(),
                                    lock.getCloseCheckLease() == null ? null : own));
        }
        return List.of(outcomes);
    }
}
