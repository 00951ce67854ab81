package com.groupbuy.market.trigger.http.admin;

import com.groupbuy.market.types.enums.ResponseCode;
import com.groupbuy.market.types.exception.AppException;
import java.util.List;

/**
 * A listing's filter names a value that can exist, or it is bad input: {@code 0002} naming the values it takes (HTTP
 * 200, as every refusal of a call's content), never an empty answer that reads as "nothing there". Compared exactly:
 * case and spaces count, as in every identifier. No filter (null) stays no filter. Each check only refuses: the
 * listing goes on with the value it was given.
 */
final class AdminFilters {

    private AdminFilters() {}

    /** Refuses a {@code value} that is not one of {@code known} ({@code 0002} listing them); null passes. */
    static void checkOneOf(String name, String value, List<String> known) {
        if (value != null && !known.contains(value)) {
            throw refused(name, String.join(", ", known) + ", exactly as written (case and spaces count)");
        }
    }

    /**
     * Refuses a {@code status} that is not one of {@code kind}'s codes ({@code 0002} listing each code and its label
     * as the console shows it: {@code 0 (INIT), 1 (DONE), ...}); null passes.
     */
    static void checkStatus(Integer status, StatusLabels kind) {
        if (status != null && !kind.takes(status)) {
            throw refused("status", kind.described());
        }
    }

    private static AppException refused(String name, String known) {
        return new AppException(
                ResponseCode.ILLEGAL_PARAMETER, "illegal parameter: " + name + " must be one of " + known);
    }
}
