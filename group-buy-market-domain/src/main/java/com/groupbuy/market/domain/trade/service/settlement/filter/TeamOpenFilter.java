package com.groupbuy.market.domain.trade.service.settlement.filter;

import com.groupbuy.market.domain.trade.model.entity.SettleCommand;
import com.groupbuy.market.domain.trade.model.valobj.TeamStatus;
import com.groupbuy.market.domain.trade.service.settlement.SettleContext;
import com.groupbuy.market.types.design.chain.RuleFilter;
import com.groupbuy.market.types.enums.ResponseCode;
import com.groupbuy.market.types.exception.AppException;

/** Only a team still in progress takes payments. */
public class TeamOpenFilter implements RuleFilter<SettleCommand, SettleContext> {

    @Override
    public void apply(SettleCommand command, SettleContext context) {
        if (context.getOrder().getTeamStatus() != TeamStatus.OPEN) {
            throw new AppException(ResponseCode.E0206);
        }
    }
}
