package com.groupbuy.market.domain.trade.service.settlement.filter;

import com.groupbuy.market.domain.trade.model.entity.SettleCommand;
import com.groupbuy.market.domain.trade.model.valobj.SourceChannelPolicy;
import com.groupbuy.market.domain.trade.service.settlement.SettleContext;
import com.groupbuy.market.types.design.chain.RuleFilter;
import com.groupbuy.market.types.enums.ResponseCode;
import com.groupbuy.market.types.exception.AppException;

/** A source + channel the policy refuses may not settle. */
public class SourceChannelFilter implements RuleFilter<SettleCommand, SettleContext> {

    private final SourceChannelPolicy policy;

    public SourceChannelFilter(SourceChannelPolicy policy) {
        this.policy = policy;
    }

    @Override
    public void apply(SettleCommand command, SettleContext context) {
        if (!policy.admits(command.getSource(), command.getChannel())) {
            throw new AppException(ResponseCode.E0105);
        }
    }
}
