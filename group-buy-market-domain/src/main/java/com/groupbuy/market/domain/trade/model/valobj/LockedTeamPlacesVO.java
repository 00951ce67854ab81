package com.groupbuy.market.domain.trade.model.valobj;

import java.time.Duration;
import java.util.List;

/**
 * A team read under its row lock: live lock count, how long its row has been unchanged by the database's own clock
 * (the one that stamps {@code update_time}: compared with an instance's clock, a database clock ahead of it made every
 * team look changed "just now" for the skew), and the place holders ({@code ITeamPlaceReservation.holder}) of every
 * order row it has, whatever the order's state; and the ids of its closed orders (left the team: not in the lock
 * count).
 */
public record LockedTeamPlacesVO(
        int lockCount, Duration unchangedFor, List<String> holders, List<String> closedOrderIds) {

    public LockedTeamPlacesVO {
        holders = List.copyOf(holders);
        closedOrderIds = List.copyOf(closedOrderIds);
    }
}
