package com.groupbuy.market.domain.trade.service.lock.filter;

import com.groupbuy.market.domain.trade.model.entity.LockOrderCommand;
import com.groupbuy.market.domain.trade.service.lock.LockContext;
import com.groupbuy.market.types.design.chain.RuleFilter;
import com.groupbuy.market.types.enums.ResponseCode;
import com.groupbuy.market.types.exception.AppException;

/**
 * A user holds at most the activity's take limit of live orders. The count was read with the order lookup that
 * starts every lock ({@link LockContext#getLiveTakes()}); it is the fast answer, and the unique biz id written with
 * the order is what makes the limit hold when two locks of one user race.
 */
public class TakeLimitFilter implements RuleFilter<LockOrderCommand, LockContext> {

    @Override
    public void apply(LockOrderCommand command, LockContext context) {
        if (context.getLiveTakes() >= context.getTrial().getTakeLimitCount()) {
            throw new AppException(ResponseCode.E0103);
        }
    }
}
