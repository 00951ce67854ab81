package com.groupbuy.market.domain.trade.model.valobj;

import com.groupbuy.market.types.exception.IllegalStateTransitionException;
import java.util.List;

/**
 * A member order's state (the stored {@code group_buy_order_list.status}) and its transitions:
 * <pre>
 * LOCKED ──settle──> PAID ──refund──> CLOSED
 * LOCKED ──refund / unpaid timeout / team failed──> CLOSED
 * </pre>
 */
public enum OrderStatus {
    LOCKED(0),
    PAID(1),
    CLOSED(2);

    private final int code;

    OrderStatus(int code) {
        this.code = code;
    }

    /** The stored value. */
    public int code() {
        return code;
    }

    /** values() copies its array on every call; of() runs for every row read (#19). */
    private static final OrderStatus[] ALL = values();

    public static OrderStatus of(int code) {
        for (OrderStatus status : ALL) {
            if (status.code == code) {
                return status;
            }
        }
        throw new IllegalArgumentException("no order status " + code);
    }

    /** Still holding its place in the team (locked or paid). */
    public boolean isLive() {
        return this != CLOSED;
    }

    /** The states of an order that holds a place. */
    public static List<OrderStatus> live() {
        return List.of(LOCKED, PAID);
    }

    /** The settlement: only a locked order is paid. */
    public OrderStatus pay() {
        if (this != LOCKED) {
            throw new IllegalStateTransitionException("order", name(), "a payment");
        }
        return PAID;
    }

    /** A refund, an unpaid timeout or a failed team closes a live order; a closed one has nothing left to close. */
    public OrderStatus close() {
        if (this == CLOSED) {
            throw new IllegalStateTransitionException("order", name(), "closing");
        }
        return CLOSED;
    }
}
