package com.groupbuy.market.domain.trade.adapter.port;

import java.time.Instant;

/**
 * The atomic gate in front of the team row: a place is taken in one round trip and never past the target, however
 * many locks race. {@code lockedInDb} seeds the counter when it is missing (a new team, or Redis lost its data).
 */
public interface ITeamPlaceReservation {

    boolean reserve(String teamId, int target, int lockedInDb, Instant validEnd);

    /** Gives back a place whose lock did not commit. */
    void release(String teamId);
}
