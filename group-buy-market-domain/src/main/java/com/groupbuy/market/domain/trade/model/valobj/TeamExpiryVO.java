package com.groupbuy.market.domain.trade.model.valobj;

import java.util.List;

/** What failing an expired team did: the unpaid orders it closed (their places to give back) and the tasks it wrote. */
public record TeamExpiryVO(List<String> closedOrderIds, List<Long> taskIds) {

    public int closedUnpaid() {
        return closedOrderIds.size();
    }
}
