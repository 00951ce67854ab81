package com.groupbuy.market.domain.trade.service.settlement.filter;

import com.groupbuy.market.domain.trade.model.entity.SettleCommand;
import com.groupbuy.market.domain.trade.service.settlement.SettleContext;
import com.groupbuy.market.types.design.chain.RuleFilter;
import com.groupbuy.market.types.enums.ResponseCode;
import com.groupbuy.market.types.exception.AppException;

/**
 * The caller's partner has an order for this user under this out trade number, in any state (else E0104): the order
 * the settlement read by the caller's whole key before the rules (a settled one's repeat is answered before them).
 * Another partner's order is never found, so it gets the same answer as a number nobody locked.
 */
public class OrderExistsFilter implements RuleFilter<SettleCommand, SettleContext> {

    @Override
    public void apply(SettleCommand command, SettleContext context) {
        if (context.getOrder() == null) {
            throw new AppException(ResponseCode.E0104);
        }
    }
}
