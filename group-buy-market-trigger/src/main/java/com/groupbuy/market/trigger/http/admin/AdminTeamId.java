package com.groupbuy.market.trigger.http.admin;

import com.groupbuy.market.types.enums.ResponseCode;
import com.groupbuy.market.types.exception.AppException;

/** A team id as the admin endpoints take it: up to 8 digits, else {@code 0002}. */
final class AdminTeamId {

    private AdminTeamId() {}

    /** The id as given (null stays null: no team filter). */
    static String checked(String teamId) {
        if (teamId != null && (teamId.length() > 8 || !teamId.chars().allMatch(c -> c >= '0' && c <= '9'))) {
            throw new AppException(ResponseCode.ILLEGAL_PARAMETER, "illegal parameter: teamId must be up to 8 digits");
        }
        return teamId;
    }
}
