package com.groupbuy.market.infrastructure.trade.repository;

import com.groupbuy.market.domain.outbox.adapter.repository.INotifyTaskRepository;
import com.groupbuy.market.domain.outbox.model.entity.NotifyTaskEntity;
import com.groupbuy.market.domain.trade.adapter.repository.IRefundRepository;
import com.groupbuy.market.domain.trade.model.aggregate.MemberRefund;
import com.groupbuy.market.domain.trade.model.aggregate.Team;
import com.groupbuy.market.domain.trade.model.aggregate.TeamExpiry;
import com.groupbuy.market.domain.trade.model.entity.MemberOrderView;
import com.groupbuy.market.domain.trade.model.valobj.OrderStatus;
import com.groupbuy.market.domain.trade.model.valobj.PartnerOrderKey;
import com.groupbuy.market.domain.trade.model.valobj.RefundType;
import com.groupbuy.market.domain.trade.model.valobj.TeamExpiryVO;
import com.groupbuy.market.domain.trade.model.valobj.TeamMember;
import com.groupbuy.market.domain.trade.model.valobj.TeamStatus;
import com.groupbuy.market.infrastructure.mybatis.Chunks;
import com.groupbuy.market.infrastructure.mybatis.DeadlockVictims;
import com.groupbuy.market.infrastructure.outbox.dao.INotifyTaskDao;
import com.groupbuy.market.infrastructure.trade.dao.IGroupBuyOrderDao;
import com.groupbuy.market.infrastructure.trade.dao.IGroupBuyRefundDao;
import com.groupbuy.market.infrastructure.trade.dao.IGroupBuySettlementDao;
import com.groupbuy.market.infrastructure.trade.po.GroupBuyOrderListPO;
import com.groupbuy.market.infrastructure.trade.po.MemberOrderPO;
import com.groupbuy.market.types.enums.ResponseCode;
import com.groupbuy.market.types.exception.AppException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The reverse-flow transactions; what they store is decided by the domain ({@link MemberRefund}, {@link Team#expire}).
 * Rows are locked in the order settlement locks them (member order, then team), so a refund or an expiry racing a
 * settlement written alone waits instead of deadlocking; the loser's guarded update affects no row. A settlement batch
 * takes its orders in order id order and the expiry its team's members in row id order, so those two can deadlock:
 * the batch, rolled back, is written settlement by settlement; the expiry is written again ({@link #expireTeam}).
 */
@Repository
public class RefundRepository implements IRefundRepository {

    /** Member rows per guarded UPDATE of an expiry: a bounded IN list (about 8 KB of SQL) whatever the team size. */
    static final int CLOSE_CHUNK = 1000;

    private final IGroupBuyRefundDao dao;
    private final IGroupBuySettlementDao orderQuery;
    private final IGroupBuyOrderDao teamDao;
    private final INotifyTaskRepository notifyTasks;
    private final TransactionTemplate transaction;
    /**
     * A refund's (or an unpaid close's) transaction, READ COMMITTED: under REPEATABLE READ MariaDB 10.11 locks the
     * entry its closeOrder finds in uq_order_id, and the one its place release finds in uq_team_id, together with the
     * gap before each (a next-key lock; only PRIMARY is locked record-only), so while the refund waited for its team's
     * row (held by a settlement, an expiry, a join) every lock of another team whose random order id, or new team id,
     * fell into one of those gaps waited with it (RefundGapLockIT). Read committed takes no gap lock, and nothing here
     * needs one: every write is a guarded UPDATE of one row found by its unique key, which locks that row and tests
     * its latest committed state (a guard whose committed state does not match is skipped without waiting, and the
     * states it names were read committed and are never returned to: LOCKED → PAID → CLOSED, so a skip is final), the
     * callbacks' inserts check their unique task keys as under any level, and nothing is read in the transaction.
     * So no order is closed twice and no place is given back twice or beyond the team's paid members.
     */
    private final TransactionTemplate refundTransaction;

    private final INotifyTaskDao taskDao;

    public RefundRepository(
            IGroupBuyRefundDao dao,
            IGroupBuySettlementDao orderQuery,
            IGroupBuyOrderDao teamDao,
            INotifyTaskRepository notifyTasks,
            TransactionTemplate transaction,
            INotifyTaskDao taskDao) {
        this.dao = dao;
        this.taskDao = taskDao;
        this.orderQuery = orderQuery;
        this.teamDao = teamDao;
        this.notifyTasks = notifyTasks;
        this.transaction = transaction;
        this.refundTransaction = new TransactionTemplate(transaction.getTransactionManager(), transaction);
        this.refundTransaction.setIsolationLevel(TransactionDefinition.ISOLATION_READ_COMMITTED);
    }

    @Override
    public MemberOrderView queryOrder(PartnerOrderKey key) {
        return MemberOrders.toView(
                orderQuery.queryOrder(key.source(), key.channel(), key.userId(), key.outTradeNo()), key);
    }

    @Override
    public MemberOrderView queryOrderById(String orderId) {
        return MemberOrders.toView(orderQuery.queryOrderById(orderId));
    }

    @Override
    public List<Long> refund(MemberRefund refund) {
        return refund(refund, () -> {});
    }

    /**
     * Written again when InnoDB chose it as a deadlock's victim ({@link DeadlockVictims}): its whole transaction, and
     * {@code alsoInTransaction} with it, was rolled back, so the retry's answer (done, or the guard's "changed
     * meanwhile" for the caller to decide again) is the true one, not a 0001 to the mall or a failed close check.
     */
    @Override
    public List<Long> refund(MemberRefund refund, Runnable alsoInTransaction) {
        return DeadlockVictims.writeAgain(
                () -> refundOnce(refund, alsoInTransaction),
                () -> "refund order=" + refund.orderId() + " team=" + refund.teamId());
    }

    private List<Long> refundOnce(MemberRefund refund, Runnable alsoInTransaction) {
        // A commit whose answer was lost is read back (the order closed, its callbacks by id) before it is answered an
        // error: a committed refund is answered done, its place given back and its callbacks handed to delivery.
        return UnknownCommits.execute(
                refundTransaction,
                status -> {
                    if (dao.closeOrder(
                                            refund.orderId(),
                                            refund.orderFrom().code(),
                                            refund.orderTo().code())
                                    == 0
                            || releasePlace(refund) == 0) {
                        throw new AppException(ResponseCode.UPDATE_ZERO, "order or team changed meanwhile");
                    }
                    List<Long> taskIds = saveTasks(refund.callbacks());
                    alsoInTransaction.run();
                    return taskIds;
                },
                taskIds -> refunded(refund, taskIds));
    }

    /** Whether the refund is in the database: its order moved to where it took it, and every callback it wrote. */
    private boolean refunded(MemberRefund refund, List<Long> taskIds) {
        MemberOrderPO order = orderQuery.queryOrderById(refund.orderId());
        return order != null
                && order.getOrderStatus() != null
                && order.getOrderStatus() == refund.orderTo().code()
                && UnknownCommits.tasksWritten(taskDao, taskIds);
    }

    private int releasePlace(MemberRefund refund) {
        if (refund.type() == RefundType.UNPAID_UNLOCK) {
            return dao.releaseUnpaidPlaces(refund.teamId(), 1);
        }
        return dao.releasePaidPlace(
                refund.teamId(),
                States.teams(refund.teamFrom()),
                refund.teamWhenNoPaidLeft().code(),
                refund.teamOtherwise().code());
    }

    @Override
    public List<MemberOrderView> queryUnpaidLockedBefore(
            Instant lockedBefore, MemberOrderView after, int shardIndex, int shardTotal, int limit) {
        return dao
                .queryUnpaidLockedBefore(
                        lockedBefore,
                        after == null ? null : after.getLockTime(),
                        after == null ? null : after.getRowId(),
                        shardIndex,
                        shardTotal,
                        limit,
                        OrderStatus.LOCKED.code(),
                        TeamStatus.OPEN.code())
                .stream()
                .map(MemberOrders::toView)
                .toList();
    }

    @Override
    public List<String> queryOpenTeamsEndedBefore(
            Instant endBefore, String afterTeamId, int shardIndex, int shardTotal, int limit) {
        return dao.queryOpenTeamsEndedBefore(
                endBefore, afterTeamId, shardIndex, shardTotal, limit, TeamStatus.OPEN.code());
    }

    /**
     * The expiry in one transaction: the team's live member rows locked (in id order), then its row, the domain's
     * decision on them, the guarded writes. Written again when InnoDB chose it as a deadlock's victim
     * ({@link DeadlockVictims}): its member rows are taken in id order while a settlement batch takes its orders in
     * order id order, so a batch paying members of this team can hold one member the expiry waits for while waiting for
     * one the expiry holds. The victim's transaction was rolled back whole, and the retry decides again on the rows as
     * they are then (the batch's payments counted), instead of the close-check consumer counting a failed attempt and
     * the job logging a skip.
     */
    @Override
    public TeamExpiryVO expireTeam(
            String teamId, Instant endBefore, BiFunction<Team, List<TeamMember>, Optional<TeamExpiry>> decide) {
        return DeadlockVictims.writeAgain(
                () -> expireTeamOnce(teamId, endBefore, decide), () -> "expiry team=" + teamId);
    }

    /**
     * A commit whose answer was lost is read back ({@link UnknownCommits}) before it is thrown: an expiry that committed
     * is answered as written, so its caller gives the closed orders' Redis places back and hands its callbacks to
     * delivery at once. Thrown instead, the job counted the team skipped "to retry", yet the team was no longer open, so
     * no run found it again: its places stayed taken in Redis and its members were told only by the compensation run.
     */
    private TeamExpiryVO expireTeamOnce(
            String teamId, Instant endBefore, BiFunction<Team, List<TeamMember>, Optional<TeamExpiry>> decide) {
        AtomicReference<TeamExpiry> decided = new AtomicReference<>();
        return UnknownCommits.execute(
                transaction,
                status -> writeExpiry(teamId, endBefore, decide, decided),
                written -> written == null || expired(teamId, decided.get(), written));
    }

    /**
     * Whether the expiry is in the database: its team moved where it took it, its unpaid orders closed, and every
     * callback it wrote there (an id is handed out once, so a task found is this transaction's). An expiry that wrote no
     * callback (no refund target) is told from another expiry of the same team (a second executor) by nothing; that one
     * wrote the same state, so answering it as this one's only gives back the same closed orders' places, which Redis
     * gives back once per order.
     */
    private boolean expired(String teamId, TeamExpiry expiry, TeamExpiryVO written) {
        Integer teamStatus = dao.queryTeamStatus(teamId);
        if (teamStatus == null || teamStatus != expiry.teamTo().code()) {
            return false;
        }
        for (String orderId : written.closedOrderIds()) {
            MemberOrderPO order = orderQuery.queryOrderById(orderId);
            if (order == null
                    || order.getOrderStatus() == null
                    || order.getOrderStatus() != expiry.orderTo().code()) {
                return false;
            }
        }
        return UnknownCommits.tasksWritten(taskDao, written.taskIds());
    }

    /** The expiry's statements, in the transaction; null when there was nothing to write (nothing written). */
    private TeamExpiryVO writeExpiry(
            String teamId,
            Instant endBefore,
            BiFunction<Team, List<TeamMember>, Optional<TeamExpiry>> decide,
            AtomicReference<TeamExpiry> decided) {
        List<GroupBuyOrderListPO> rows = dao.lockLiveMembers(teamId, States.LIVE_ORDERS);
        List<TeamMember> members = rows.stream().map(RefundRepository::toMember).toList();
        Team team = Teams.toTeam(teamDao.lockByTeamId(teamId));
        if (team == null) {
            return null;
        }
        TeamExpiry expiry = decide.apply(team, members).orElse(null);
        decided.set(expiry);
        if (expiry == null
                || dao.failTeam(
                                teamId,
                                endBefore,
                                expiry.teamFrom().code(),
                                expiry.teamTo().code())
                        == 0) {
            return null;
        }
        closeMembers(teamId, rows, expiry);
        List<Long> taskIds = notifyTasks.saveTasks(expiry.callbacks());
        int closed = expiry.closeOrderIds().size();
        if (closed > 0 && dao.releaseUnpaidPlaces(teamId, closed) == 0) {
            throw new IllegalStateException("team " + teamId + " counts disagree with its members");
        }
        return new TeamExpiryVO(expiry.closeOrderIds(), taskIds);
    }

    /**
     * The orders the domain closed, by the rows locked above, not by order id: a settlement or refund of the same order
     * holds its uq_order_id entry while it waits for the row we hold, so going through that entry now deadlocked. A few
     * guarded UPDATEs of up to {@link #CLOSE_CHUNK} rows each, not one per member (with one INSERT per callback, 17,505
     * statements and 8.4 s for a team of 10,000 members, its locks held throughout: docs/benchmarks.md); a count short of the decision means a row was not as decided, and the whole expiry rolls back.
     */
    private void closeMembers(String teamId, List<GroupBuyOrderListPO> rows, TeamExpiry expiry) {
        Map<String, Long> rowIds = new HashMap<>();
        rows.forEach(row -> rowIds.put(row.getOrderId(), row.getId()));
        List<Long> closing = new ArrayList<>(expiry.closeOrderIds().size());
        for (String orderId : expiry.closeOrderIds()) {
            Long rowId = rowIds.get(orderId);
            if (rowId == null) {
                throw new IllegalStateException("order " + orderId + " of team " + teamId + " is not a live member");
            }
            closing.add(rowId);
        }
        for (List<Long> chunk : Chunks.of(closing, CLOSE_CHUNK)) {
            int closed = dao.closeLockedMembers(
                    chunk, expiry.orderFrom().code(), expiry.orderTo().code());
            if (closed != chunk.size()) {
                throw new IllegalStateException("of " + chunk.size() + " orders of team " + teamId + " to close, "
                        + closed + " were " + expiry.orderFrom() + " under lock");
            }
        }
    }

    private List<Long> saveTasks(List<NotifyTaskEntity> tasks) {
        List<Long> ids = new ArrayList<>(tasks.size());
        for (NotifyTaskEntity task : tasks) {
            ids.add(notifyTasks.saveTask(task));
        }
        return ids;
    }

    private static TeamMember toMember(GroupBuyOrderListPO po) {
        return new TeamMember(
                po.getOrderId(),
                po.getUserId(),
                po.getOutTradeNo(),
                po.getActivityId(),
                OrderStatus.of(po.getStatus()),
                po.getSource(),
                po.getChannel());
    }
}
