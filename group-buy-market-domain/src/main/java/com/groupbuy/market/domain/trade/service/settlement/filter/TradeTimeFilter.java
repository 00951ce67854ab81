package com.groupbuy.market.domain.trade.service.settlement.filter;

import com.groupbuy.market.domain.trade.model.entity.MemberOrderView;
import com.groupbuy.market.domain.trade.model.entity.SettleCommand;
import com.groupbuy.market.domain.trade.service.settlement.SettleContext;
import com.groupbuy.market.types.design.chain.RuleFilter;
import com.groupbuy.market.types.enums.ResponseCode;
import com.groupbuy.market.types.exception.AppException;
import java.time.temporal.ChronoUnit;

/**
 * The payment happened inside the team's validity window; otherwise the order stays locked, for a refund. The window
 * opens at the start's whole second: partners' trade times are mostly {@code yyyy-MM-dd HH:mm:ss}, so a payment in
 * the second the team was opened is in it (the start used to be stored without milliseconds, which did the same).
 */
public class TradeTimeFilter implements RuleFilter<SettleCommand, SettleContext> {

    @Override
    public void apply(SettleCommand command, SettleContext context) {
        MemberOrderView order = context.getOrder();
        if (command.getOutTradeTime().isBefore(order.getTeamValidStartTime().truncatedTo(ChronoUnit.SECONDS))
                || !command.getOutTradeTime().isBefore(order.getTeamValidEndTime())) {
            throw new AppException(ResponseCode.E0106);
        }
    }
}
