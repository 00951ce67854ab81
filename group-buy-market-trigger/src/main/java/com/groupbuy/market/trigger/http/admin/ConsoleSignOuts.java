package com.groupbuy.market.trigger.http.admin;

import java.time.Duration;
import java.time.Instant;

/**
 * The console sessions signed out before their expiry, by session id (the cookie's random part), each kept until no
 * instance can take the cookie any more ({@link #keptFor}). Kept in Redis by the app's wiring, so a sign-out on one instance ends the
 * session on every instance. An unreachable store is an outage (E0401), never a signed-out cookie admitted.
 */
public interface ConsoleSignOuts {

    /** True when the session {@code id} was signed out. */
    boolean signedOut(String id);

    /** Records the sign-out of session {@code id}, whose cookie expires at {@code expiry}. */
    void signOut(String id, Instant expiry);

    /** How far the instances' clocks may disagree while a sign-out still ends its session on every one of them. */
    Duration CLOCK_ALLOWANCE = Duration.ofMinutes(5);

    /**
     * How long a sign-out is kept, {@code left} being the cookie's life left by the signing-out instance's clock: a
     * whole cookie lifetime at least, whatever that clock says, and the allowance on top. Kept only until the expiry
     * by this instance's clock, an instance X ahead of another let that one take the signed-out cookie again for the
     * last X of its life (every instance, when X was more than the life left: nothing was kept at all).
     */
    static Duration keptFor(Duration left) {
        Duration atLeast = left.compareTo(ConsoleSession.LIFETIME) > 0 ? left : ConsoleSession.LIFETIME;
        return atLeast.plus(CLOCK_ALLOWANCE);
    }
}
