package com.groupbuy.market.trigger.http;

import com.groupbuy.market.types.enums.ResponseCode;
import com.groupbuy.market.types.exception.AppException;

/** Field checks shared by the controllers; each failure names the field, as partners show it to their buyer. */
final class RequestCheck {

    private RequestCheck() {
    }

    static String text(String field, String value, int maxLength) {
        if (value == null || value.isBlank()) {
            throw new AppException(ResponseCode.ILLEGAL_PARAMETER, "illegal parameter: " + field + " is required");
        }
        if (value.length() > maxLength) {
            throw new AppException(ResponseCode.ILLEGAL_PARAMETER,
                    "illegal parameter: " + field + " is longer than " + maxLength + " characters");
        }
        return value.trim();
    }

    static void present(String field, Object value) {
        if (value == null) {
            throw new AppException(ResponseCode.ILLEGAL_PARAMETER, "illegal parameter: " + field + " is required");
        }
    }
}
