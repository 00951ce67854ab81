package com.groupbuy.market.infrastructure.trade.repository;

import com.groupbuy.market.domain.outbox.adapter.repository.INotifyTaskRepository;
import com.groupbuy.market.domain.outbox.model.entity.NotifyTaskEntity;
import com.groupbuy.market.domain.outbox.model.valobj.NotifyLease;
import com.groupbuy.market.domain.outbox.model.valobj.NotifyTaskVO;
import com.groupbuy.market.domain.trade.adapter.repository.ISettlementRepository;
import com.groupbuy.market.domain.trade.model.aggregate.TeamPayment;
import com.groupbuy.market.domain.trade.model.entity.MemberOrderView;
import com.groupbuy.market.domain.trade.model.entity.SettleCommand;
import com.groupbuy.market.domain.trade.model.valobj.OwedCallback;
import com.groupbuy.market.domain.trade.model.valobj.PartnerOrderKey;
import com.groupbuy.market.infrastructure.mybatis.DeadlockVictims;
import com.groupbuy.market.infrastructure.outbox.dao.INotifyTaskDao;
import com.groupbuy.market.infrastructure.trade.dao.IGroupBuySettlementDao;
import com.groupbuy.market.infrastructure.trade.po.PartnerOrderLookupRow;
import com.groupbuy.market.types.enums.ResponseCode;
import com.groupbuy.market.types.exception.AppException;
import com.groupbuy.market.types.exception.DependencyUnavailableException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import lombok.extern.slf4j.Slf4j;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The settlement's writes. The order is paid and the team's count goes up in one statement (a multi-table UPDATE: both
 * rows or neither), in one of two guarded shapes, the one that leaves places unpaid and the one that pays the last
 * place; at most one matches the rows (locked until the statement's transaction ends), so which one matched says
 * whether this payment completed the team, never a count read before: two last payers can't both miss, or both see,
 * completion. The counts read with the order only pick which shape to try first (the other follows when it matches
 * nothing), so a payment costs one update and no read of the team (#19: the read-back of the whole team row was a
 * statement and a 16-column mapping per settlement). A payment that looks like it leaves places unpaid runs its
 * statement alone, as its own transaction (#19: no SET autocommit / COMMIT round trips for two payments of three); the
 * one that completes the team runs in a transaction with the callback it owes (the outbox rule). With group commit on
 * ({@link SettlementGroupCommit}), concurrent settlements share one transaction ({@link SettlementBatchWriter}); a
 * settlement that cannot be written with the others is written alone.
 */
@Slf4j
@Repository
public class SettlementRepository implements ISettlementRepository {

    private final IGroupBuySettlementDao dao;
    private final INotifyTaskRepository notifyTasks;
    private final TransactionTemplate transaction;
    private final INotifyTaskDao taskDao;

    /**
     * The transaction of a settlement written alone after its batch waited its statement bound: {@link
     * DeadlockVictims#BRIEF_SECONDS} in all ({@link DeadlockVictims#briefTransaction}).
     */
    private final TransactionTemplate briefTransaction;

    /** Null while group commit of settlements is off ({@code gbm.settlement.group-commit.enabled}). */
    private final SettlementGroupCommit groupCommit;

    /** Null while settlements read their order alone ({@code gbm.settlement.group-lookup.enabled} false). */
    private final SettlementLookupGroup lookupGroup;

    public SettlementRepository(
            IGroupBuySettlementDao dao,
            INotifyTaskRepository notifyTasks,
            TransactionTemplate transaction,
            INotifyTaskDao taskDao,
            ObjectProvider<SettlementGroupCommit> groupCommit,
            ObjectProvider<SettlementLookupGroup> lookupGroup) {
        this.dao = dao;
        this.taskDao = taskDao;
        this.notifyTasks = notifyTasks;
        this.transaction = transaction;
        this.briefTransaction = DeadlockVictims.briefTransaction(transaction);
        this.groupCommit = groupCommit.getIfAvailable();
        this.lookupGroup = lookupGroup.getIfAvailable();
    }

    @Override
    public MemberOrderView queryOrder(PartnerOrderKey key) {
        if (lookupGroup != null) {
            // With concurrent settlements' reads in one statement (#19); alone when none to share with, or it failed.
            Optional<PartnerOrderLookupRow> read = lookupGroup.lookup(key);
            if (read.isPresent()) {
                return MemberOrders.toView(read.get().order(), key);
            }
        }
        return MemberOrders.toView(dao.queryOrder(key.source(), key.channel(), key.userId(), key.outTradeNo()), key);
    }

    @Override
    public int recordLatePayment(MemberOrderView order, SettleCommand command, String refusal) {
        // The order's own partner is the caller (it was found by the caller's key), so the command's source/channel.
        dao.recordLatePayment(
                order.getOrderId(),
                order.getUserId(),
                order.getOutTradeNo(),
                command.getSource(),
                command.getChannel(),
                order.getTeamId(),
                order.getActivityId(),
                command.getOutTradeTime(),
                refusal);
        Integer notices = dao.queryLatePaymentNotices(order.getOrderId());
        return notices == null ? 0 : notices;
    }

    @Override
    public long countLatePayments() {
        return dao.countLatePayments();
    }

    @Override
    public OwedCallback settle(
            MemberOrderView order, SettleCommand command, TeamPayment payment, NotifyLease callbackLease) {
        // The completion of a big team, by its look, is written alone: built in the writer thread, every other
        // settlement of the instance would wait for it (SettlementGroupCommit).
        if (groupCommit != null
                && !(order.paymentLooksLikeTheLast()
                        && SettlementGroupCommit.writtenAlone(order.getTeamTargetCount()))) {
            Optional<SettlementOutcome> outcome =
                    groupCommit.submit(new SettlementWrite(order, command, payment, callbackLease));
            if (outcome.isPresent() && !outcome.get().alone()) {
                if (outcome.get().refused()) {
                    throw changedMeanwhile();
                }
                if (outcome.get().cut() != null) {
                    throw new DependencyUnavailableException(
                            "database",
                            "its settlement batch lost its connection, nothing written",
                            outcome.get().cut());
                }
                if (outcome.get().aloneBriefly()) {
                    return settleAloneBriefly(order, command, payment, callbackLease);
                }
                return outcome.get().owed();
            }
            // The batch was rolled back (or the writer has stopped), or it left this settlement out (it completes a
            // big team): written alone, as with group commit off.
        }
        return settleAlone(order, command, payment, callbackLease);
    }

    /**
     * The settlement on its own: the only way while group commit is off, and its fallback when on. A deadlock's victim
     * is written again ({@link DeadlockVictims}): it locks its order's row and then its team's, and InnoDB rolled back
     * its whole transaction (or its one statement), so the retry's answer is the true one, not a 0001.
     */
    private OwedCallback settleAlone(
            MemberOrderView order, SettleCommand command, TeamPayment payment, NotifyLease callbackLease) {
        return DeadlockVictims.writeAgain(
                () -> settleAloneOnce(order, command, payment, callbackLease),
                () -> "settlement order=" + order.getOrderId() + " team=" + order.getTeamId());
    }

    /**
     * The settlement alone after its batch waited for a row lock until the statement bound (rolled back, nothing
     * written): its caller has waited that bound already, so this write may take {@link
     * DeadlockVictims#BRIEF_SECONDS} more, not a second whole bound on what is likely the same held row. Its statements
     * in one transaction (none auto-committed alone), so a write cut short is rolled back whole and answered as one
     * stopped at the bound: the database busy, E0401 with Retry-After; the mall's retry with the same notice is then
     * written, or answered as the first.
     */
    private OwedCallback settleAloneBriefly(
            MemberOrderView order, SettleCommand command, TeamPayment payment, NotifyLease callbackLease) {
        return DeadlockVictims.writeBriefly(
                () -> UnknownCommits.execute(
                        briefTransaction,
                        status -> payInTransaction(order, command, payment, callbackLease),
                        owed -> Payments.written(dao, taskDao, order.getOrderId(), owed)),
                () -> "settlement order=" + order.getOrderId() + " team=" + order.getTeamId());
    }

    private OwedCallback settleAloneOnce(
            MemberOrderView order, SettleCommand command, TeamPayment payment, NotifyLease callbackLease) {
        // A payment that leaves places unpaid owes nothing else, so its one statement is the whole settlement: no
        // transaction, none of its SET autocommit / COMMIT round trips (#19). Tried only when the counts read with the
        // order say so; when it matches nothing (the team's last place after all, or the order or team changed), the
        // transaction below decides, as for a payment that looked like the last.
        if (!order.paymentLooksLikeTheLast()) {
            boolean paid;
            try {
                paid = Payments.pay(dao, order, command, payment, false);
            } catch (RuntimeException e) {
                // Alone, the statement is its own commit: failed without an answer (the connection dropped), it may
                // have committed. Read back on a fresh connection; paid, it is answered paid (it owes no callback).
                if (!paidAfterAll(order, e)) {
                    throw e;
                }
                paid = true;
            }
            if (paid) {
                return null;
            }
        }
        // A commit whose answer was lost is read back (the order paid, its callback by id) before it is answered an
        // error: the payment that completed the team is paid and its callback is delivered once, from here.
        return UnknownCommits.execute(
                transaction,
                status -> payInTransaction(order, command, payment, callbackLease),
                owed -> Payments.written(dao, taskDao, order.getOrderId(), owed));
    }

    private boolean paidAfterAll(MemberOrderView order, RuntimeException failure) {
        try {
            if (Payments.written(dao, taskDao, order.getOrderId(), null)) {
                log.warn(
                        "payment order={} answered {} but it is paid: committed",
                        order.getOrderId(),
                        failure.toString());
                return true;
            }
            return false;
        } catch (RuntimeException readBack) {
            failure.addSuppressed(readBack);
            return false;
        }
    }

    private OwedCallback payInTransaction(
            MemberOrderView order, SettleCommand command, TeamPayment payment, NotifyLease callbackLease) {
        boolean paidLastPlace = true;
        if (!Payments.pay(dao, order, command, payment, true)) {
            // Not the last place (a refund took a payment back meanwhile, or the order or team moved on).
            paidLastPlace = false;
            if (!Payments.pay(dao, order, command, payment, false)) {
                throw changedMeanwhile();
            }
        }
        List<NotifyTaskEntity> owed = Payments.callbacksOwed(dao, order, payment, paidLastPlace);
        if (owed.isEmpty()) {
            return null;
        }
        OwedCallback first = save(owed.get(0), callbackLease);
        List<Long> others = new ArrayList<>(owed.size() - 1);
        for (NotifyTaskEntity other : owed.subList(1, owed.size())) {
            // Another partner's (a legacy mixed team): unleased, handed over by id after commit.
            others.add(notifyTasks.saveTask(other));
        }
        return new OwedCallback(first.taskId(), first.leased(), others);
    }

    /**
     * Under the lease when there is one (#19: the delivery after commit then needs no claim); a task key already taken
     * (never by a settlement: a team completes once) names the task written before, unleased.
     */
    private OwedCallback save(NotifyTaskEntity task, NotifyLease lease) {
        if (lease != null) {
            NotifyTaskVO leased = notifyTasks.saveLeased(task, lease);
            if (leased != null) {
                return new OwedCallback(leased.getId(), leased);
            }
        }
        return new OwedCallback(notifyTasks.saveTask(task), null);
    }

    private static AppException changedMeanwhile() {
        return new AppException(ResponseCode.UPDATE_ZERO, "order or team changed meanwhile");
    }
}
