package com.groupbuy.market.domain.trade.model.valobj;

import java.util.List;

/** What failing an expired team did: the unpaid places it closed and the callback tasks it wrote. */
public record TeamExpiryVO(int closedUnpaid, List<Long> taskIds) {
}
