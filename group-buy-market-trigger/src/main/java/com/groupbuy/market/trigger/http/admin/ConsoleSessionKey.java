package com.groupbuy.market.trigger.http.admin;

/**
 * The random key every instance signs named operators' console sessions with ({@link ConsoleSessions}): made once by
 * the first instance that needs it and shared (kept in Redis by the app's wiring), never configured, so reading the
 * configuration (which holds only the operators' token digests) signs no session. An unreachable store is an outage
 * (E0401), never an unsigned session.
 */
public interface ConsoleSessionKey {

    /** The key (32 bytes); made and kept now when there is none yet. */
    byte[] key();
}
