package com.groupbuy.market.domain.trade.adapter.repository;

import com.groupbuy.market.domain.outbox.model.valobj.NotifyLease;
import com.groupbuy.market.domain.trade.model.aggregate.TeamPayment;
import com.groupbuy.market.domain.trade.model.entity.MemberOrderView;
import com.groupbuy.market.domain.trade.model.entity.SettleCommand;
import com.groupbuy.market.domain.trade.model.valobj.OwedCallback;
import com.groupbuy.market.domain.trade.model.valobj.PartnerOrderKey;

/** Persistence of the settlement: the paid order, the team's completion and the callback it owes, together. */
public interface ISettlementRepository {

    /** The partner's order and its team, or null when that partner has no such order. */
    MemberOrderView queryOrder(PartnerOrderKey key);

    /**
     * Atomically (the callback, when one is owed, in the same transaction as the payment): the order and the team
     * moved as {@code payment} says (guarded: the order only from its
     * {@code orderFrom}, the team's complete count + 1 only below its target and only from {@code teamFrom}, in the
     * shape that leaves places unpaid or the one that pays the last place, whichever matches the locked row); the
     * shape that matched tells {@link TeamPayment#callbacksOwed} whether the payment owes the team's callback, which is
     * stored in the same transaction, under {@code callbackLease} when one is given (null: unleased), together with
     * the callbacks owed to other partners of a team mixed before teams were kept to their partner (unleased). Returns
     * the callbacks written, else null.
     *
     * @throws com.groupbuy.market.types.exception.AppException {@code 0004} when the order or team changed meanwhile
     */
    OwedCallback settle(MemberOrderView order, SettleCommand command, TeamPayment payment, NotifyLease callbackLease);

    /**
     * Records a payment notice we refused for an order its buyer paid — closed before it was paid ({@code E0208}),
     * trade time outside the team's window ({@code E0106}), team no longer in progress ({@code E0206}): one row per
     * order, a repeated notice counts up and keeps the latest {@code refusal} code. Writes nothing else. Returns the
     * notices recorded for this order so far.
     */
    int recordLatePayment(MemberOrderView order, SettleCommand command, String refusal);

    /** Orders recorded as paid late, ever (what operators count). */
    long countLatePayments();
}
