package com.groupbuy.market.infrastructure.trade.repository;

import com.groupbuy.market.domain.trade.model.aggregate.TeamPayment;
import com.groupbuy.market.domain.trade.model.valobj.TeamCount;
import com.groupbuy.market.domain.trade.model.valobj.TeamPaymentsCounted;
import com.groupbuy.market.domain.trade.model.valobj.TeamStatus;
import com.groupbuy.market.infrastructure.trade.dao.IGroupBuySettlementDao;
import com.groupbuy.market.infrastructure.trade.po.LockedOrderPO;
import com.groupbuy.market.infrastructure.trade.po.LockedTeamPO;
import com.groupbuy.market.infrastructure.trade.po.OrderPaymentRow;
import com.groupbuy.market.infrastructure.trade.po.TeamCountRow;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A settlement batch's payments in two statements whatever its size (#19, settlepay; {@code
 * gbm.settlement.group-commit.pay-together}, on by default): one guarded multi-row UPDATE per batch where the batch
 * written payment by payment sent ~1.2 multi-table UPDATEs per settlement (each with a temporary table). The order rows
 * are already locked with their states ({@code lockOrders}); the teams of the orders still payable are locked next, in
 * team id order ({@code lockTeams}: the lock order of the batch written payment by payment, orders before teams). On
 * those locked rows the domain decides ({@link TeamPayment#count}): an order no longer locked (paid, refunded, closed
 * meanwhile), or noticed twice in the batch (its second notice), is refused; a team no longer open counts none; a team
 * counts its payments in team-then-order order up to its last place, the one that fills it completes it, any after it
 * is refused — what the statements alone would have said in that order. Then {@code payOrders} and {@code
 * countPayments} store it, each row guarded by the very state decided on (the order still locked; the team in its
 * state at the count it was locked at, the new count within its places). Under the batch's row locks those guards
 * match every row; a count that differs means the rows moved anyway, and the batch throws: rolled back, each
 * settlement is written alone with its own guards, as after any failed batch. A refusal writes nothing and is its
 * caller's answer alone; its neighbours go on. A team the batch would complete that is big ({@link
 * SettlementGroupCommit#writtenAlone}) is left out: its settlements are answered {@link SettlementOutcome#ALONE}.
 */
final class BatchPayments {

    // The states every payment moves between, the same for every settlement of the batch (the domain's, TeamPayment):
    // the batch's two statements guard on them once for all its payments.
    private static final int ORDER_FROM = TeamPayment.ORDER_FROM.code();
    private static final int ORDER_TO = TeamPayment.ORDER_TO.code();
    private static final int TEAM_FROM = TeamPayment.TEAM_FROM.code();

    private BatchPayments() {}

    /**
     * Sets the outcome of every settlement that is refused or pays a place that is not its team's last; returns those
     * that paid their team's last place (owing the completion callbacks), in {@code byTeam}'s order.
     */
    static List<Integer> pay(
            IGroupBuySettlementDao dao,
            List<SettlementWrite> settlements,
            List<Integer> byTeam,
            List<LockedOrderPO> lockedOrders,
            SettlementOutcome[] outcomes) {
        Map<String, Integer> orderStates = new HashMap<>();
        for (LockedOrderPO order : lockedOrders) {
            orderStates.put(order.getOrderId(), order.getStatus());
        }
        // The payable settlements of each team, in team then order id order: the order still locked as the domain's
        // payment takes it, and its first notice in the batch only (a second notice finds it paid, as alone).
        Map<String, List<Integer>> payable = new LinkedHashMap<>();
        // The second notices of payable orders, by team: refused as their first is paid, unless the team is left out.
        Map<String, List<Integer>> repeats = new HashMap<>();
        Set<String> noticed = new HashSet<>();
        for (int i : byTeam) {
            SettlementWrite w = settlements.get(i);
            Integer state = orderStates.get(w.order().getOrderId());
            if (state == null || state != ORDER_FROM || !noticed.add(w.order().getOrderId())) {
                outcomes[i] = SettlementOutcome.REFUSED;
                if (state != null && state == ORDER_FROM) {
                    repeats.computeIfAbsent(w.order().getTeamId(), t -> new ArrayList<>())
                            .add(i);
                }
                continue;
            }
            payable.computeIfAbsent(w.order().getTeamId(), t -> new ArrayList<>())
                    .add(i);
        }
        if (payable.isEmpty()) {
            return List.of();
        }
        Map<String, LockedTeamPO> teams = new HashMap<>();
        for (LockedTeamPO team : dao.lockTeams(List.copyOf(payable.keySet()))) {
            teams.put(team.getTeamId(), team);
        }

        List<OrderPaymentRow> orders = new ArrayList<>();
        List<TeamCountRow> counts = new ArrayList<>();
        List<Integer> completed = new ArrayList<>();
        for (Map.Entry<String, List<Integer>> team : payable.entrySet()) {
            List<Integer> members = team.getValue();
            TeamPayment payment = settlements.get(members.get(0)).payment();
            LockedTeamPO row = teams.get(team.getKey());
            TeamPaymentsCounted counted = row == null
                    ? null
                    : payment.count(
                            new TeamCount(TeamStatus.of(row.getStatus()), row.getCompleteCount(), row.getTargetCount()),
                            members.size());
            int paid = counted == null ? 0 : counted.counted();
            if (paid > 0 && counted.completed() && SettlementGroupCommit.writtenAlone(row.getTargetCount())) {
                // It completes a big team: its callback (every member) is not built on the writer thread, where every
                // settlement of the instance waits for it. The team's settlements of the batch are left out of it,
                // nothing of them written, each written alone by its caller (SettlementGroupCommit). A second notice
                // of one of its orders too: refused, its caller would read the order unpaid at once (its first notice
                // not yet written alone) and answer the mall that the payment is refused; alone, it waits for the
                // first's row and is answered as the first.
                members.forEach(i -> outcomes[i] = SettlementOutcome.ALONE);
                repeats.getOrDefault(team.getKey(), List.of()).forEach(i -> outcomes[i] = SettlementOutcome.ALONE);
                continue;
            }
            for (int k = 0; k < members.size(); k++) {
                int i = members.get(k);
                if (k >= paid) {
                    outcomes[i] = SettlementOutcome.REFUSED; // wrote nothing; its neighbours go on
                    continue;
                }
                SettlementWrite w = settlements.get(i);
                orders.add(
                        new OrderPaymentRow(w.order().getOrderId(), w.command().getOutTradeTime()));
                if (k == paid - 1 && counted.completed()) {
                    completed.add(i);
                } else {
                    outcomes[i] = SettlementOutcome.paid(null);
                }
            }
            if (paid > 0) {
                counts.add(new TeamCountRow(
                        team.getKey(),
                        row.getCompleteCount(),
                        counted.after().completeCount(),
                        counted.after().status().code()));
            }
        }
        if (orders.isEmpty()) {
            return completed;
        }
        int ordersPaid = dao.payOrders(orders, ORDER_FROM, ORDER_TO);
        if (ordersPaid != orders.size()) {
            throw new IllegalStateException(orders.size() + " locked orders to pay but " + ordersPaid + " matched");
        }
        int teamsCounted = dao.countPayments(counts, TEAM_FROM);
        if (teamsCounted != counts.size()) {
            throw new IllegalStateException(counts.size() + " locked teams to count but " + teamsCounted + " matched");
        }
        return completed;
    }
}
