package com.groupbuy.market.trigger.http.admin;

/**
 * How many failed console sign-ins a client address may make in a window before every further sign-in from it is
 * refused until the window ends. Kept in Redis by the app's wiring, so every instance counts the same attempts (an
 * attacker spreading guesses over instances gets no more). An unreachable store is an outage (E0401), never an
 * unlimited sign-in.
 */
public interface ConsoleLoginLimit {

    /** Milliseconds until {@code client} may try again; 0 while it has failures left. */
    long blockedForMillis(String client);

    /** Counts one failed sign-in of {@code client}; the first failure of a window starts it. */
    void failed(String client);

    /** Failures allowed per window, for the refusal's text. */
    int maxFailures();
}
