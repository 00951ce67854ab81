package com.groupbuy.market.infrastructure.trade.po;

import lombok.Data;
import lombok.EqualsAndHashCode;

/**
 * A partner's order read again for a repeated lock ({@code IGroupBuyOrderListDao.queryByOutTradeNo}): the member row,
 * and when this order opened its team (the team's first member row) the notify target its lock gave the team; both
 * null for an order that joined a team, whose lock's notify settings were never its own.
 */
@Data
@EqualsAndHashCode(callSuper = true)
public class RepeatedOrderPO extends GroupBuyOrderListPO {
    private String openedNotifyType;
    private String openedNotifyUrl;
}
