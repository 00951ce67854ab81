package com.groupbuy.market.domain.trade.model.valobj;

import java.time.Instant;
import java.util.List;

/**
 * A team read under its row lock: live lock count, when the row last changed, and the place holders
 * ({@code ITeamPlaceReservation.holder}) of every order row it has, whatever the order's state.
 */
public record LockedTeamPlacesVO(int lockCount, Instant updatedAt, List<String> holders) {}
