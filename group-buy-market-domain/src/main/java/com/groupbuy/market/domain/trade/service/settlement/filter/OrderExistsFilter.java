package com.groupbuy.market.domain.trade.service.settlement.filter;

import com.groupbuy.market.domain.trade.adapter.repository.ISettlementRepository;
import com.groupbuy.market.domain.trade.model.entity.MarketPayOrderEntity;
import com.groupbuy.market.domain.trade.model.entity.SettleCommand;
import com.groupbuy.market.domain.trade.model.entity.MemberOrderView;
import com.groupbuy.market.domain.trade.service.settlement.SettleContext;
import com.groupbuy.market.types.design.chain.RuleFilter;
import com.groupbuy.market.types.enums.ResponseCode;
import com.groupbuy.market.types.exception.AppException;

/** The user has an order under this out trade number that was not closed or refunded (else E0104). */
public class OrderExistsFilter implements RuleFilter<SettleCommand, SettleContext> {

    private final ISettlementRepository repository;

    public OrderExistsFilter(ISettlementRepository repository) {
        this.repository = repository;
    }

    @Override
    public void apply(SettleCommand command, SettleContext context) {
        MemberOrderView order = repository.queryOrder(command.getUserId(), command.getOutTradeNo());
        if (order == null || order.getOrderStatus() == MarketPayOrderEntity.CLOSED) {
            throw new AppException(ResponseCode.E0104);
        }
        context.setOrder(order);
    }
}
