package com.groupbuy.market.infrastructure.trade.repository;

import com.groupbuy.market.domain.outbox.adapter.repository.INotifyTaskRepository;
import com.groupbuy.market.domain.outbox.model.entity.NotifyTaskEntity;
import com.groupbuy.market.domain.outbox.model.valobj.NotifyLease;
import com.groupbuy.market.domain.outbox.model.valobj.NotifyTaskVO;
import com.groupbuy.market.domain.trade.model.entity.MemberOrderView;
import com.groupbuy.market.domain.trade.model.valobj.OwedCallback;
import com.groupbuy.market.infrastructure.outbox.dao.INotifyTaskDao;
import com.groupbuy.market.infrastructure.trade.dao.IGroupBuySettlementDao;
import com.groupbuy.market.infrastructure.trade.po.LockedOrderPO;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import lombok.extern.slf4j.Slf4j;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Several settlements in one transaction (group commit, #19). First every order row of the batch is locked, in order
 * id order ({@code lockOrders}); then the payments: by default ({@code gbm.settlement.group-commit.pay-together}) in
 * two guarded statements for the whole batch, decided by the domain on the rows as locked ({@link BatchPayments});
 * otherwise, team by team in team id order, each settlement's guarded payment statement —
 * the same statement as a settlement written alone, in the shape its counts suggest and, when that matches nothing,
 * the other — so two payments of one team run one after the other and the second sees the first counted; then, after
 * the last payment (the first plain read fixes the transaction's snapshot), the callbacks owed, decided by the domain
 * ({@code TeamPayment.callbacksOwed}) on which shape matched and written as one
 * multi-row insert, each under its own settlement's lease; then one commit. A settlement neither shape matches wrote
 * nothing and is answered refused (the caller re-reads, as alone) while the others go on; any other failure (a
 * deadlock, a constraint, the database gone) rolls the whole batch back and throws, and each settlement is then
 * written alone, so every caller gets the answer it gets today — except after a lost connection (the database gone,
 * the socket timeout), which each caller answers E0401 at once ({@link SettlementGroupCommit}).
 *
 * <p>Locking order: a settlement, refund or close written alone locks its order's row, then its team's. The batch
 * takes all its orders before any team, and its teams in id order, so it never holds a team while waiting for an order
 * that such a transaction holds while waiting for that team (a payment of another member of the team, or a refund of
 * one of the batch's orders); two batches (two instances) take orders, then teams, each in one order. A team's expiry
 * takes its members by row id, not order id, so the batch and an expiry of one of its teams can deadlock: InnoDB rolls
 * one back, the batch (each of its settlements then written alone) or the expiry (written again at once).
 */
@Slf4j
public class SettlementBatchWriter {

    private static final Comparator<SettlementWrite> BY_TEAM_THEN_ORDER = Comparator.comparing(
                    (SettlementWrite w) -> w.order().getTeamId())
            .thenComparing(w -> w.order().getOrderId());

    private final IGroupBuySettlementDao dao;
    private final INotifyTaskRepository notifyTasks;
    private final TransactionTemplate transaction;
    private final INotifyTaskDao taskDao;

    /**
     * {@code gbm.settlement.group-commit.pay-together} (the app's {@code SettlementGroupCommitProperties}; its {@code
     * SettlementGroupCommitConfig} builds this writer): the batch's payments in two statements ({@link BatchPayments}).
     */
    private final boolean payTogether;

    public SettlementBatchWriter(
            IGroupBuySettlementDao dao,
            INotifyTaskRepository notifyTasks,
            TransactionTemplate transaction,
            INotifyTaskDao taskDao,
            boolean payTogether) {
        this.dao = dao;
        this.notifyTasks = notifyTasks;
        this.transaction = transaction;
        this.taskDao = taskDao;
        this.payTogether = payTogether;
        log.info(
                "settlement batches pay {}",
                payTogether ? "together (two guarded statements a batch)" : "one by one (a statement a payment)");
    }

    /**
     * One outcome per settlement, in the order given, once committed; throws (all rolled back) when any write failed.
     * A commit that fails after every statement succeeded may have committed (its answer lost): the batch is read back
     * first ({@link UnknownCommits}) and, found written, answered as written, so its payments are not sent to be
     * written alone, where each found its order paid and its callback, committed under this instance's lease, was
     * not handed to delivery.
     */
    public List<SettlementOutcome> write(List<SettlementWrite> settlements) {
        return UnknownCommits.execute(
                transaction, status -> writeTogether(settlements), outcomes -> committed(settlements, outcomes));
    }

    /** Whether every payment the batch made is in the database: one transaction, so all of them or none. */
    private boolean committed(List<SettlementWrite> settlements, List<SettlementOutcome> outcomes) {
        for (int i = 0; i < settlements.size(); i++) {
            SettlementOutcome outcome = outcomes.get(i);
            if (!outcome.refused()
                    && !outcome.alone()
                    && !Payments.written(
                            dao, taskDao, settlements.get(i).order().getOrderId(), outcome.owed())) {
                return false;
            }
        }
        return true;
    }

    private List<SettlementOutcome> writeTogether(List<SettlementWrite> settlements) {
        List<LockedOrderPO> locked = dao.lockOrders(settlements.stream()
                .map(w -> w.order().getOrderId())
                .distinct()
                .sorted()
                .toList());
        SettlementOutcome[] outcomes = new SettlementOutcome[settlements.size()];
        List<Integer> byTeam = IntStream.range(0, settlements.size())
                .boxed()
                .sorted(Comparator.comparing(settlements::get, BY_TEAM_THEN_ORDER))
                .toList();
        List<Integer> completed = payTogether
                ? payTogether(settlements, byTeam, locked, outcomes)
                : payOneByOne(settlements, byTeam, outcomes);
        return owedAfterPayments(settlements, completed, outcomes);
    }

    /**
     * Each payment its own guarded statement, team by team (the batch's way until #19's settlepay, kept behind {@code
     * gbm.settlement.group-commit.pay-together=false}): the shape its counts suggest, else the other; one that looks
     * like a big team's last is left out ({@link SettlementOutcome#ALONE}). Returns the settlements that paid their
     * team's last place; the others' outcomes are set.
     */
    private List<Integer> payOneByOne(
            List<SettlementWrite> settlements, List<Integer> byTeam, SettlementOutcome[] outcomes) {
        // Payments of a team already counted in this batch: the next one of that team is guessed with them.
        Map<String, Integer> counted = new HashMap<>();
        List<Integer> completed = new ArrayList<>();
        for (int i : byTeam) {
            SettlementWrite w = settlements.get(i);
            MemberOrderView order = w.order();
            boolean last = looksLikeTheLast(order, counted.getOrDefault(order.getTeamId(), 0));
            if (last && SettlementGroupCommit.writtenAlone(order.getTeamTargetCount())) {
                outcomes[i] = SettlementOutcome.ALONE; // a big team's completion, by its look: written by its caller
                continue;
            }
            boolean paidLastPlace;
            if (Payments.pay(dao, order, w.command(), w.payment(), last)) {
                paidLastPlace = last;
            } else if (Payments.pay(dao, order, w.command(), w.payment(), !last)) {
                paidLastPlace = !last;
            } else {
                outcomes[i] = SettlementOutcome.REFUSED; // wrote nothing; its neighbours go on
                continue;
            }
            counted.merge(order.getTeamId(), 1, Integer::sum);
            if (paidLastPlace) {
                completed.add(i);
            } else {
                outcomes[i] = SettlementOutcome.paid(null);
            }
        }
        return completed;
    }

    /**
     * The batch's payments in two statements, whatever its size ({@link BatchPayments}): decided by the domain on the
     * rows as locked, stored by guarded multi-row updates. Returns the settlements that paid their team's last place.
     */
    private List<Integer> payTogether(
            List<SettlementWrite> settlements,
            List<Integer> byTeam,
            List<LockedOrderPO> locked,
            SettlementOutcome[] outcomes) {
        return BatchPayments.pay(dao, settlements, byTeam, locked, outcomes);
    }

    private List<SettlementOutcome> owedAfterPayments(
            List<SettlementWrite> settlements, List<Integer> completed, SettlementOutcome[] outcomes) {
        List<Integer> owing = new ArrayList<>();
        // Where each owing settlement's callbacks start in the insert: its own (leased) first, then other partners'.
        List<Integer> firsts = new ArrayList<>();
        List<NotifyTaskEntity> callbacks = new ArrayList<>();
        List<NotifyLease> leases = new ArrayList<>();
        // The callbacks owed, only once every payment of the batch is written: the first plain read of a transaction
        // fixes the snapshot all its later reads see (REPEATABLE READ), so a team's paid members read right after its
        // completion missed, for every team completed later in the batch, a member another transaction paid after
        // that read and before the batch's payment of that team (it waited for that payment's row lock): the callback
        // listed one buyer fewer. Read after the last payment, the snapshot has every payment committed before the
        // batch took each team's row, and each team, complete and held, takes no later one.
        for (int i : completed) {
            SettlementWrite w = settlements.get(i);
            List<NotifyTaskEntity> owed = Payments.callbacksOwed(dao, w.order(), w.payment(), true);
            if (!owed.isEmpty()) {
                owing.add(i);
                firsts.add(callbacks.size());
                callbacks.add(owed.get(0));
                leases.add(w.callbackLease());
                // Other partners' (a legacy mixed team): in the same insert, unleased, handed over by id after commit.
                for (NotifyTaskEntity other : owed.subList(1, owed.size())) {
                    callbacks.add(other);
                    leases.add(null);
                }
            } else {
                outcomes[i] = SettlementOutcome.paid(null);
            }
        }
        // A task key already taken (never by a settlement: a team completes once) fails the insert, and with it the
        // batch: each settlement is then written alone, where the task written before is named.
        List<NotifyTaskVO> written = notifyTasks.saveNewTasks(callbacks, leases);
        for (int k = 0; k < owing.size(); k++) {
            int first = firsts.get(k);
            int end = k + 1 < owing.size() ? firsts.get(k + 1) : callbacks.size();
            NotifyTaskVO task = written.get(first);
            List<Long> others = written.subList(first + 1, end).stream()
                    .map(NotifyTaskVO::getId)
                    .toList();
            outcomes[owing.get(k)] = SettlementOutcome.paid(
                    new OwedCallback(task.getId(), leases.get(first) == null ? null : task, others));
        }
        return List.of(outcomes);
    }

    /**
     * The payment's first guess, as alone ({@link MemberOrderView#paymentLooksLikeTheLast}) but counting the payments
     * of its team this batch already counted, which its read could not see. Only which statement is tried first.
     */
    private static boolean looksLikeTheLast(MemberOrderView order, int countedInBatch) {
        if (countedInBatch == 0 || order.getTeamCompleteCount() == null || order.getTeamTargetCount() == null) {
            return order.paymentLooksLikeTheLast();
        }
        return order.getTeamCompleteCount() + countedInBatch + 1 >= order.getTeamTargetCount();
    }
}
