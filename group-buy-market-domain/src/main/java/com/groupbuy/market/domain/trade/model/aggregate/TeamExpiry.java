package com.groupbuy.market.domain.trade.model.aggregate;

import com.groupbuy.market.domain.outbox.model.entity.NotifyTaskEntity;
import com.groupbuy.market.domain.trade.model.valobj.OrderStatus;
import com.groupbuy.market.domain.trade.model.valobj.TeamStatus;
import java.util.List;

/**
 * What expiring a team decided ({@link Team#expire}), for its transaction to store: the team {@code teamFrom → teamTo};
 * the orders in {@code closeOrderIds} {@code orderFrom → orderTo}, their places given back; the callbacks written.
 */
public record TeamExpiry(
        TeamStatus teamFrom,
        TeamStatus teamTo,
        OrderStatus orderFrom,
        OrderStatus orderTo,
        List<String> closeOrderIds,
        List<NotifyTaskEntity> callbacks) {

    public TeamExpiry {
        closeOrderIds = List.copyOf(closeOrderIds);
        callbacks = List.copyOf(callbacks);
    }
}
