package com.groupbuy.market.trigger.http.admin;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Locale;

/**
 * When the console's session cookie carries {@code Secure} ({@code gbm.console.cookie-secure}): {@code auto} when the
 * request came over TLS as the server sees it ({@code request.isSecure()}), {@code always}, or {@code never}. Behind
 * a proxy that ends TLS and forwards plain HTTP without forwarded-header handling, {@code auto} sees no TLS and the
 * cookie went out without {@code Secure}, so a browser would send it over plain HTTP too: the prod profile says
 * {@code always}.
 */
public enum ConsoleCookieSecure {
    AUTO,
    ALWAYS,
    NEVER;

    /** Whether the cookie answered to this request carries {@code Secure}. */
    public boolean secure(HttpServletRequest request) {
        return switch (this) {
            case ALWAYS -> true;
            case NEVER -> false;
            case AUTO -> request.isSecure();
        };
    }

    /** The setting's value, case ignored; anything else stops the start. */
    public static ConsoleCookieSecure of(String value) {
        String v = value == null ? "" : value.trim().toUpperCase(Locale.ROOT);
        for (ConsoleCookieSecure mode : values()) {
            if (mode.name().equals(v)) {
                return mode;
            }
        }
        throw new IllegalArgumentException(
                "gbm.console.cookie-secure must be auto, always or never, not '" + value + "'");
    }
}
