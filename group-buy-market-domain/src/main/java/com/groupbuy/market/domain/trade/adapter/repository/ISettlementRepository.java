package com.groupbuy.market.domain.trade.adapter.repository;

import com.groupbuy.market.domain.trade.model.entity.SettleCommand;
import com.groupbuy.market.domain.trade.model.entity.MemberOrderView;

/** Persistence of the settlement: the paid order, the team's completion and the callback it owes, together. */
public interface ISettlementRepository {

    /** The order and its team as settlement needs them, or null when no such order exists. */
    MemberOrderView queryOrder(String userId, String outTradeNo);

    /**
     * In one transaction: the order → paid (only from locked), the team's complete count + 1 (only below its target,
     * only while open), and, when that made the team complete, its {@code trade_settlement} notify task. Returns the
     * task id when one was written, else null.
     *
     * @throws com.groupbuy.market.types.exception.AppException {@code 0004} when the order or team changed meanwhile
     */
    Long settle(MemberOrderView order, SettleCommand command);
}
