package com.groupbuy.market.trigger.http.admin;

import com.groupbuy.market.types.enums.ResponseCode;
import com.groupbuy.market.types.exception.AppException;

/**
 * The page and size every admin listing accepts: past these an offset would overflow (page 2147483647 once reached
 * the database as a negative offset), so anything outside is {@code 0002} naming the parameter.
 */
final class AdminPaging {

    static final int MAX_PAGE = 100_000;
    static final int MAX_SIZE = 200;

    private AdminPaging() {}

    static int page(int page) {
        return bounded("page", page, 0, MAX_PAGE);
    }

    static int size(int size) {
        return bounded("size", size, 1, MAX_SIZE);
    }

    private static int bounded(String name, int value, int min, int max) {
        if (value < min || value > max) {
            throw new AppException(
                    ResponseCode.ILLEGAL_PARAMETER,
                    "illegal parameter: " + name + " must be between " + min + " and " + max);
        }
        return value;
    }
}
