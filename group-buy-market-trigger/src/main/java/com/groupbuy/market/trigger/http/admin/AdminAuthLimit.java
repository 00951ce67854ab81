package com.groupbuy.market.trigger.http.admin;

/**
 * How many failed authentications by a shared secret — the admin token in the console's sign-in form or in
 * {@code X-Admin-Token} to the admin API or the actuator; in a separate pair of counters, the XXL-Job executor's
 * access token — a client address, and all addresses together, may make in a window before authentications are
 * refused until the window ends: every one from that address; past the limit of all addresses, every one from an
 * address that is not known. An address is known while it presented the right secret within the last
 * {@code known-for} (an operator's, the XXL-Job console's): guesses spread over many addresses are still cut off after
 * the limit of all addresses, and they no longer lock out the callers who hold the secret. Kept in Redis by the app's
 * wiring, so every instance counts the same attempts (an attacker spreading guesses over instances gets no more). An
 * unreachable store is an outage (E0401), never unlimited guessing.
 */
public interface AdminAuthLimit {

    /** Why an authentication from {@code client} is refused now; null while it may try. */
    Refusal refusal(String client);

    /** Counts one failed authentication of {@code client} (and of all addresses); the first of a window starts it. */
    void failed(String client);

    /**
     * {@code client} presented the right secret (and was not refused): it is a known address for the next
     * {@code known-for}, which the limit of all addresses does not lock out. Its own limit still applies.
     */
    void succeeded(String client);

    /**
     * One authentication of {@code client} about to be compared: why it is refused now, or null when it may be
     * compared, in which case exactly one of {@link #rejected} (a wrong secret) or {@link #admitted} (the right one)
     * follows. A store that can do so counts the attempt as a failure in the same step as the check, so attempts sent
     * at once are bounded as attempts sent one by one: read separately from the count, 64 guesses from one address
     * at once read it before any of them was counted, and 24 were compared against a limit of 10
     * ({@code AdminTokenGuessIT}). This default keeps the separate reads, for stores that cannot.
     */
    default Refusal attempt(String client) {
        return refusal(client);
    }

    /** The attempt {@link #attempt} let through presented a wrong secret: counted, if it was not counted already. */
    default void rejected(String client) {
        failed(client);
    }

    /**
     * The attempt {@link #attempt} let through presented the right secret: the failure counted for it, if any, is
     * taken back, and the address is known ({@link #succeeded}).
     */
    default void admitted(String client) {
        succeeded(client);
    }

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
