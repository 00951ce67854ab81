package com.groupbuy.market.infrastructure.trade.repository;

import com.groupbuy.market.domain.outbox.model.valobj.NotifyLease;
import com.groupbuy.market.domain.trade.model.aggregate.TeamPayment;
import com.groupbuy.market.domain.trade.model.entity.MemberOrderView;
import com.groupbuy.market.domain.trade.model.entity.SettleCommand;

/**
 * One settlement handed to group commit (#19): what {@link SettlementRepository#settle} was given — the order as read,
 * the command, the domain's payment and the lease its callback is written under (null: unleased).
 */
public record SettlementWrite(
        MemberOrderView order, SettleCommand command, TeamPayment payment, NotifyLease callbackLease) {}
