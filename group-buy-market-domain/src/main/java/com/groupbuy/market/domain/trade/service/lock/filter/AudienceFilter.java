package com.groupbuy.market.domain.trade.service.lock.filter;

import com.groupbuy.market.domain.trade.model.entity.LockOrderCommand;
import com.groupbuy.market.domain.trade.service.lock.LockContext;
import com.groupbuy.market.types.design.chain.RuleFilter;
import com.groupbuy.market.types.enums.ResponseCode;
import com.groupbuy.market.types.exception.AppException;

/**
 * A user the activity's audience tag keeps out of teams may not lock: the trial says so in {@code isEnable} (tag
 * scope 2 and the user is not a loaded member of the tag; a tag never loaded has no members).
 */
public class AudienceFilter implements RuleFilter<LockOrderCommand, LockContext> {

    @Override
    public void apply(LockOrderCommand command, LockContext context) {
        if (!context.getTrial().isEnable()) {
            throw new AppException(ResponseCode.E0007);
        }
    }
}
