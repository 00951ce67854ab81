package com.groupbuy.market.trigger.http.admin;

import com.groupbuy.market.types.enums.ResponseCode;
import com.groupbuy.market.types.exception.AppException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.ToIntFunction;
import java.util.stream.Collectors;

/**
 * A listing's filter names a value that can exist, or it is bad input: {@code 0002} naming the values it takes (HTTP
 * 200, as every refusal of a call's content), never an empty answer that reads as "nothing there". Compared exactly:
 * case and spaces count, as in every identifier. No filter (null) stays no filter.
 */
final class AdminFilters {

    private AdminFilters() {}

    /** {@code value} when it is one of {@code known}, or null when not given; else {@code 0002} listing them. */
    static String oneOf(String name, String value, List<String> known) {
        if (value != null && !known.contains(value)) {
            throw refused(name, String.join(", ", known) + ", exactly as written (case and spaces count)");
        }
        return value;
    }

    /**
     * {@code status} when it is the stored code of one of {@code states}, or null when not given; else {@code 0002}
     * listing the codes and their states ({@code 0 (init), 1 (success), ...}).
     */
    static <E extends Enum<E>> Integer status(Integer status, E[] states, ToIntFunction<E> code) {
        if (status != null && Arrays.stream(states).noneMatch(s -> code.applyAsInt(s) == status)) {
            throw refused(
                    "status",
                    Arrays.stream(states)
                            .map(s -> code.applyAsInt(s) + " ("
                                    + s.name().toLowerCase(Locale.ROOT).replace('_', ' ') + ")")
                            .collect(Collectors.joining(", ")));
        }
        return status;
    }

    private static AppException refused(String name, String known) {
        return new AppException(
                ResponseCode.ILLEGAL_PARAMETER, "illegal parameter: " + name + " must be one of " + known);
    }
}
