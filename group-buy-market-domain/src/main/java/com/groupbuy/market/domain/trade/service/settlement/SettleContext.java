package com.groupbuy.market.domain.trade.service.settlement;

import com.groupbuy.market.domain.trade.model.entity.MemberOrderView;
import lombok.Getter;
import lombok.Setter;

/** What the settlement filters learn: the order with its team, once found. */
@Getter
@Setter
public class SettleContext {

    private MemberOrderView order;
}
