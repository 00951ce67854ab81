package com.groupbuy.market.domain.trade.service.lock.filter;

import com.groupbuy.market.domain.trade.adapter.repository.ITradeRepository;
import com.groupbuy.market.domain.trade.model.entity.LockOrderCommand;
import com.groupbuy.market.domain.trade.service.lock.LockContext;
import com.groupbuy.market.types.design.chain.RuleFilter;
import com.groupbuy.market.types.enums.ResponseCode;
import com.groupbuy.market.types.exception.AppException;

/**
 * A user holds at most the activity's take limit of live orders. This read is the fast answer; the unique biz id
 * written with the order is what makes the limit hold when two locks of one user race.
 */
public class TakeLimitFilter implements RuleFilter<LockOrderCommand, LockContext> {

    private final ITradeRepository repository;

    public TakeLimitFilter(ITradeRepository repository) {
        this.repository = repository;
    }

    @Override
    public void apply(LockOrderCommand command, LockContext context) {
        int taken = repository.countLiveTakes(command.getActivityId(), command.getUserId());
        if (taken >= context.getTrial().getTakeLimitCount()) {
            throw new AppException(ResponseCode.E0103);
        }
        context.setLiveTakes(taken);
    }
}
