package com.groupbuy.market.types.exception;

/** A transition the state machine does not have (e.g. paying a closed order, expiring a complete team). */
public class IllegalStateTransitionException extends IllegalStateException {

    private final String state;
    private final String event;

    public IllegalStateTransitionException(String machine, String state, String event) {
        super("a " + machine + " in state " + state + " cannot take " + event);
        this.state = state;
        this.event = event;
    }

    public String state() {
        return state;
    }

    public String event() {
        return event;
    }
}
