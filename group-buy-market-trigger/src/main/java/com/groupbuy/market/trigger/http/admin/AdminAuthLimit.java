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
     * A wrong secret from {@code client}: why it is refused now (then it is not counted, as a refused attempt never
     * was), or null once it is counted. A store that can do so checks and counts in one step, so wrong secrets sent at
     * once are compared no more often than ones sent one by one: checked with {@link #refusal} and counted with
     * {@link #failed} apart, 64 guesses from one address at once all read the count before any was added, and 24 were
     * answered "wrong" against a limit of 10 ({@code AdminTokenGuessIT}). Only a wrong secret is counted: counted
     * before its comparison, the right one sent at once by an operator's script (or the XXL-Job console) was refused
     * past the limit ({@code LiveSwitchIT}). This default keeps the two steps, for stores that cannot.
     */
    default Refusal failure(String client) {
        Refusal refusal = refusal(client);
        if (refusal == null) {
            failed(client);
        }
        return refusal;
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
