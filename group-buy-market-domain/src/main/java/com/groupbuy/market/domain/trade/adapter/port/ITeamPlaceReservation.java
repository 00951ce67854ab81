package com.groupbuy.market.domain.trade.adapter.port;

import java.time.Instant;

/**
 * The atomic gate in front of the team row: a place is taken in one round trip and never past the target, however
 * many locks race. {@code lockedInDb} seeds the counter when it is missing (a new team, or Redis lost its data).
 */
public interface ITeamPlaceReservation {

    boolean reserve(String teamId, int target, int lockedInDb, Instant validEnd);

    /**
     * Takes the first place of a team being opened under a freshly drawn id. False, with nothing changed, when a
     * counter for that id exists already: the id belongs to another team and a new one must be drawn.
     */
    boolean reserveNew(String teamId, Instant validEnd);

    /** Gives back a place whose lock did not commit. */
    void release(String teamId);

    /**
     * Gives back the place of an order that left its team (refund, unpaid close, expiry), at most once per order
     * however many ask: the after-commit fast path and the refund consumer both call this for the same order, and
     * a broker may redeliver. True when this call gave the place back; false when it was given back already.
     */
    boolean releaseOrder(String teamId, String orderId);

    /** Drops the counter {@link #reserveNew} made for a team whose row was never written. */
    void discard(String teamId);
}
