package com.groupbuy.market.trigger.http.admin;

/**
 * How many failed admin authentications — a wrong token in the console's sign-in form, or in {@code X-Admin-Token} to
 * the admin API or the actuator — a client address, and all addresses together, may make in a window before every
 * authentication (from that address, or from every address) is refused until the window ends. Kept in Redis by the
 * app's wiring, so every instance counts the same attempts (an attacker spreading guesses over instances gets no
 * more). An unreachable store is an outage (E0401), never unlimited guessing.
 */
public interface AdminAuthLimit {

    /** Why an authentication from {@code client} is refused now; null while it may try. */
    Refusal refusal(String client);

    /** Counts one failed authentication of {@code client} (and of all addresses); the first of a window starts it. */
    void failed(String client);

    /**
     * A lock-out: {@code millis} left of the window, {@code failures} the limit that was reached, of this address or
     * of all addresses together.
     */
    record Refusal(long millis, int failures, boolean allAddresses) {

        public long seconds() {
            return Math.max(1, (millis + 999) / 1000);
        }

        public String info() {
            return "rate limited: " + failures + " failed sign-ins from "
                    + (allAddresses ? "all addresses" : "this address") + ", try again in " + seconds() + " s";
        }
    }
}
