package com.groupbuy.market.trigger.http.admin;

import java.time.Instant;

/**
 * The console sessions signed out before their expiry, by session id (the cookie's random part), each kept until the
 * cookie would have expired and no longer. Kept in Redis by the app's wiring, so a sign-out on one instance ends the
 * session on every instance. An unreachable store is an outage (E0401), never a signed-out cookie admitted.
 */
public interface ConsoleSignOuts {

    /** True when the session {@code id} was signed out. */
    boolean signedOut(String id);

    /** Records the sign-out of session {@code id}, whose cookie expires at {@code expiry}. */
    void signOut(String id, Instant expiry);
}
