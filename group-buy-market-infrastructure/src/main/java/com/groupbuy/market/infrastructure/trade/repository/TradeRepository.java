package com.groupbuy.market.infrastructure.trade.repository;

import com.groupbuy.market.domain.outbox.adapter.repository.INotifyTaskRepository;
import com.groupbuy.market.domain.outbox.model.entity.NotifyTaskEntity;
import com.groupbuy.market.domain.outbox.model.valobj.NotifyLease;
import com.groupbuy.market.domain.outbox.model.valobj.NotifyTaskVO;
import com.groupbuy.market.domain.trade.adapter.port.ITeamPlaceReservation;
import com.groupbuy.market.domain.trade.adapter.repository.DuplicateOrderException;
import com.groupbuy.market.domain.trade.adapter.repository.ITradeRepository;
import com.groupbuy.market.domain.trade.model.aggregate.LockOrderAggregate;
import com.groupbuy.market.domain.trade.model.aggregate.Team;
import com.groupbuy.market.domain.trade.model.entity.MarketPayOrderEntity;
import com.groupbuy.market.domain.trade.model.valobj.LockLookupVO;
import com.groupbuy.market.domain.trade.model.valobj.PartnerOrderKey;
import com.groupbuy.market.domain.trade.model.valobj.TeamStatus;
import com.groupbuy.market.infrastructure.mybatis.DeadlockVictims;
import com.groupbuy.market.infrastructure.trade.dao.IGroupBuyOrderDao;
import com.groupbuy.market.infrastructure.trade.dao.IGroupBuyOrderListDao;
import com.groupbuy.market.infrastructure.trade.po.GroupBuyOrderListPO;
import com.groupbuy.market.infrastructure.trade.po.JoinLookupPO;
import com.groupbuy.market.infrastructure.trade.po.LookupKeyPO;
import com.groupbuy.market.infrastructure.trade.po.OrderLookupPO;
import com.groupbuy.market.infrastructure.trade.po.RepeatedOrderPO;
import com.groupbuy.market.types.exception.AppException;
import com.groupbuy.market.types.exception.Causes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import lombok.extern.slf4j.Slf4j;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Teams and member orders over MyBatis; a lock is one short transaction, which also writes the lock's delayed close
 * checks to the outbox (#15), so a lock never exists without its check. With group commit on, concurrent locks share
 * one such transaction ({@link LockGroupCommit}); a lock that cannot be written with the others is written alone.
 */
@Slf4j
@Repository
public class TradeRepository implements ITradeRepository {

    private final IGroupBuyOrderDao teamDao;
    private final IGroupBuyOrderListDao orderDao;
    private final TransactionTemplate transaction;
    private final INotifyTaskRepository notifyTasks;

    /**
     * The transaction of a lock written alone after its batch waited its statement bound: {@link
     * DeadlockVictims#BRIEF_SECONDS} in all ({@link DeadlockVictims#briefTransaction}).
     */
    private final TransactionTemplate briefTransaction;

    /** Where a team opened by a lock written alone gets its place counter, once committed. */
    private final ITeamPlaceReservation places;

    /** Null while group commit is off ({@code gbm.lock.group-commit.enabled}). */
    private final LockGroupCommit groupCommit;

    /** Null while locks' first reads (openings' and joins') are read one by one ({@code gbm.lock.group-lookup.enabled}). */
    private final LockLookupGroup lookupGroup;

    public TradeRepository(
            IGroupBuyOrderDao teamDao,
            IGroupBuyOrderListDao orderDao,
            TransactionTemplate transaction,
            INotifyTaskRepository notifyTasks,
            ObjectProvider<LockGroupCommit> groupCommit,
            ObjectProvider<LockLookupGroup> lookupGroup,
            ITeamPlaceReservation places) {
        this.places = places;
        this.teamDao = teamDao;
        this.orderDao = orderDao;
        this.transaction = transaction;
        this.briefTransaction = DeadlockVictims.briefTransaction(transaction);
        this.notifyTasks = notifyTasks;
        this.groupCommit = groupCommit.getIfAvailable();
        this.lookupGroup = lookupGroup.getIfAvailable();
    }

    @Override
    public MarketPayOrderEntity queryOrder(PartnerOrderKey key) {
        RepeatedOrderPO po = orderDao.queryByOutTradeNo(key.source(), key.channel(), key.userId(), key.outTradeNo());
        return po == null ? null : LockRows.toRepeatedOrder(po);
    }

    @Override
    public LockLookupVO queryOrderAndLiveTakes(PartnerOrderKey key, Long activityId, String teamId) {
        // A join reads its team in the same statement (#19); only an id no team has needs the lookup of its own.
        if (teamId != null) {
            JoinLookupPO join = queryForJoin(key, activityId, teamId);
            if (join != null) {
                return lookup(key, join.getOrderId(), join.getLiveTakes(), Teams.toTeam(join));
            }
        }
        JoinLookupPO read = lookupGroup == null
                ? null
                : lookupGroup
                        .lookup(new LookupKeyPO(
                                key.source(), key.channel(), key.userId(), key.outTradeNo(), activityId))
                        .orElse(null);
        if (read != null) {
            return lookup(key, read.getOrderId(), read.getLiveTakes(), null);
        }
        OrderLookupPO row = orderDao.queryByOutTradeNoWithLiveTakes(
                key.source(), key.channel(), key.userId(), key.outTradeNo(), activityId, States.CLOSED_ORDER);
        return lookup(key, row.getOrderId(), row.getLiveTakes(), null);
    }

    /**
     * A join's first read: with other locks' when the lookups are read together and it found some to share with (#19,
     * branch joinlookup), else alone; null when no team has the id.
     */
    private JoinLookupPO queryForJoin(PartnerOrderKey key, Long activityId, String teamId) {
        if (lookupGroup != null) {
            Optional<JoinLookupPO> read = lookupGroup.lookup(
                    new LookupKeyPO(key.source(), key.channel(), key.userId(), key.outTradeNo(), activityId, teamId));
            if (read.isPresent()) {
                return read.get().getTeamId() == null ? null : read.get();
            }
        }
        return teamDao.queryForJoin(
                teamId, key.source(), key.channel(), key.userId(), key.outTradeNo(), activityId, States.CLOSED_ORDER);
    }

    /** The order itself only when there is one (a repeated lock): a second read then, none on a new lock. */
    private LockLookupVO lookup(PartnerOrderKey key, String orderId, int liveTakes, Team namedTeam) {
        return new LockLookupVO(orderId == null ? null : queryOrder(key), liveTakes, namedTeam);
    }

    @Override
    public MarketPayOrderEntity lockOrder(LockOrderAggregate lock) {
        return groupCommit == null
                ? counted(lock, lockAlone(lock))
                : groupCommit.lock(lock, l -> counted(l, lockAlone(l)), l -> counted(l, lockAloneBriefly(l)));
    }

    /** A lock written alone that opened its team: the team's counter made now (a batch's are made by its writer). */
    private MarketPayOrderEntity counted(LockOrderAggregate lock, MarketPayOrderEntity order) {
        if (lock.isNewTeam()) {
            LockGroupCommit.countOpened(places, List.of(LockGroupCommit.opened(lock)));
        }
        return order;
    }

    /**
     * The lock in a transaction of its own: the only way while group commit is off, and its fallback when on. A
     * deadlock's victim is written again ({@link DeadlockVictims}): InnoDB rolled its whole transaction back (nothing
     * of it is written, its Redis place is still held under the order), so the retry is the same lock against the rows
     * as they are now and its answer (written, or the guard's {@code E0005} / {@code E0206}) is the true one, not a
     * 0001 for a transient conflict.
     */
    private MarketPayOrderEntity lockAlone(LockOrderAggregate lock) {
        return DeadlockVictims.writeAgain(
                () -> lockAloneOnce(lock, transaction),
                () -> "lock order=" + lock.getOrderId() + " team=" + lock.getTeamId());
    }

    /**
     * The lock alone after its batch waited for a row lock (a team's row another transaction holds) until the statement
     * bound, rolled back with nothing written, or after it queued behind that batch: its caller has waited up to that
     * bound already, so this write may take {@link DeadlockVictims#BRIEF_SECONDS} more, not a second whole bound on
     * what is likely the same held row. Cut short, it is rolled back whole and answered as a write stopped at the
     * bound: the database busy, E0401 with Retry-After, and the domain gives its Redis place back (nothing written). A
     * commit whose answer was lost is still read back first ({@link UnknownCommits}): a committed lock is never
     * answered an error.
     */
    private MarketPayOrderEntity lockAloneBriefly(LockOrderAggregate lock) {
        return DeadlockVictims.writeBriefly(
                () -> lockAloneOnce(lock, briefTransaction),
                () -> "lock order=" + lock.getOrderId() + " team=" + lock.getTeamId());
    }

    private MarketPayOrderEntity lockAloneOnce(LockOrderAggregate lock, TransactionTemplate transaction) {
        GroupBuyOrderListPO order = LockRows.order(lock);
        List<NotifyTaskVO> closeChecks;
        try {
            // A commit whose answer was lost is read back by the order id before it is answered an error.
            closeChecks = UnknownCommits.execute(
                    transaction,
                    status -> {
                        if (lock.isNewTeam()) {
                            teamDao.insert(LockRows.team(lock));
                        } else if (teamDao.takePlace(lock.getTeamId(), lock.getValidStartTime(), TeamStatus.OPEN.code())
                                == 0) {
                            throw new AppException(
                                    Teams.placeRefused(teamDao, lock.getTeamId(), lock.getValidStartTime()));
                        }
                        orderDao.insert(order);
                        return saveCloseChecks(lock);
                    },
                    written -> !orderDao.queryExistingOrderIds(List.of(order.getOrderId()))
                            .isEmpty());
        } catch (DuplicateKeyException e) {
            throw new DuplicateOrderException(duplicateKey(e), e);
        }
        if (closeChecks == null) {
            return LockRows.toOrder(order, null);
        }
        List<Long> ids = closeChecks.stream().map(NotifyTaskVO::getId).toList();
        return LockRows.toOrder(order, ids, lock.getCloseCheckLease() == null ? null : closeChecks);
    }

    /**
     * The lock's close checks (see {@link LockRows#closeChecks}); null when it writes none. Under the relay's lease when
     * the lock has one (the relay then publishes them without a claim); a check whose key was taken is not under that
     * lease and is left out (the compensation job delivers the one written before). Without a lease only their ids.
     */
    private List<NotifyTaskVO> saveCloseChecks(LockOrderAggregate lock) {
        if (lock.getCloseChecks().isEmpty()) {
            return null;
        }
        NotifyLease lease = lock.getCloseCheckLease();
        List<NotifyTaskVO> saved = new ArrayList<>(lock.getCloseChecks().size());
        for (NotifyTaskEntity task : LockRows.closeChecks(lock)) {
            if (lease == null) {
                saved.add(NotifyTaskVO.builder().id(notifyTasks.saveTask(task)).build());
                continue;
            }
            NotifyTaskVO leased = notifyTasks.saveLeased(task, lease);
            if (leased != null) {
                saved.add(leased);
            }
        }
        return saved;
    }

    private static DuplicateOrderException.Key duplicateKey(DuplicateKeyException e) {
        String message = String.valueOf(Causes.root(e).getMessage());
        if (message.contains("uq_partner_user_out_trade_no")) {
            return DuplicateOrderException.Key.OUT_TRADE_NO;
        }
        if (message.contains("uq_biz_id")) {
            return DuplicateOrderException.Key.TAKE;
        }
        if (message.contains("uq_team_id") || message.contains("uq_order_id")) {
            return DuplicateOrderException.Key.GENERATED_ID;
        }
        return DuplicateOrderException.Key.OTHER;
    }
}
