package com.groupbuy.market.infrastructure.adapter.repository;

import com.groupbuy.market.domain.outbox.model.valobj.NotifyTaskStatus;
import com.groupbuy.market.domain.trade.model.valobj.OrderStatus;
import com.groupbuy.market.domain.trade.model.valobj.TeamStatus;

import java.util.List;

/** The stored codes of the domain's states, as the mappers bind them (no state number is written in SQL). */
final class States {

    static final List<Integer> LIVE_ORDERS = orders(OrderStatus.live());
    static final List<Integer> FORMED_TEAMS = teams(TeamStatus.formed());
    static final List<Integer> PENDING_TASKS = tasks(NotifyTaskStatus.pending());

    private States() {
    }

    static List<Integer> orders(List<OrderStatus> states) {
        return states.stream().map(OrderStatus::code).toList();
    }

    static List<Integer> teams(List<TeamStatus> states) {
        return states.stream().map(TeamStatus::code).toList();
    }

    static List<Integer> tasks(List<NotifyTaskStatus> states) {
        return states.stream().map(NotifyTaskStatus::code).toList();
    }
}
