package com.groupbuy.market.infrastructure.trade.repository;

import com.groupbuy.market.domain.trade.model.valobj.OrderStatus;
import com.groupbuy.market.domain.trade.model.valobj.TeamStatus;
import java.util.List;

/** The stored codes of the trade context's states, as the mappers bind them (no state number is written in SQL). */
final class States {

    static final List<Integer> LIVE_ORDERS = orders(OrderStatus.live());
    static final List<Integer> FORMED_TEAMS = teams(TeamStatus.formed());
    /** Every state but this one is live ({@link OrderStatus#isLive}): one parameter instead of a list keeps SQL static. */
    static final int CLOSED_ORDER = OrderStatus.CLOSED.code();

    private States() {}

    static List<Integer> orders(List<OrderStatus> states) {
        return states.stream().map(OrderStatus::code).toList();
    }

    static List<Integer> teams(List<TeamStatus> states) {
        return states.stream().map(TeamStatus::code).toList();
    }
}
