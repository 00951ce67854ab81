package com.groupbuy.market.types.enums;

import lombok.AllArgsConstructor;
import lombok.Getter;

/**
 * Every outcome a partner can branch on. Codes up to E0106 are the original platform's and must never change
 * meaning; failures the original never named get new codes appended after them.
 */
@Getter
@AllArgsConstructor
public enum ResponseCode {
    SUCCESS("0000", "success"),
    UN_ERROR("0001", "unknown failure"),
    ILLEGAL_PARAMETER("0002", "illegal parameter"),
    /**
     * No free team or order id after the lock's draws, or a write met another unique key: the partner retries. (Named
     * INDEX_EXCEPTION before #16; the code is unchanged.)
     */
    UNIQUE_KEY_CONFLICT("0003", "unique-key conflict"),
    UPDATE_ZERO("0004", "update affected no row"),
    HTTP_EXCEPTION("0005", "outbound HTTP call failed"),
    RATE_LIMITER("0006", "rate limited"),

    E0001("E0001", "no discount calculator for the plan"),
    E0002("E0002", "no group-buy configuration for this goods"),
    E0003("E0003", "degrade switch on"),
    E0004("E0004", "user outside the cut range"),
    E0005("E0005", "team full"),
    E0006("E0006", "team already at its target"),
    E0007("E0007", "audience restriction: user may not join"),
    E0008("E0008", "no team place left"),

    E0101("E0101", "activity not effective"),
    E0102("E0102", "outside the activity's time window"),
    E0103("E0103", "participation limit reached"),
    E0104("E0104", "unknown out trade number, or already refunded"),
    E0105("E0105", "source/channel refused"),
    E0106("E0106", "trade time outside the team's window"),

    // Codes the original never had; appended, never renumbered.
    E0201("E0201", "out trade number already paid"),
    E0202("E0202", "out trade number already closed or refunded"),
    E0203("E0203", "notify type not supported"),
    E0204("E0204", "notify URL refused"),
    E0205("E0205", "team not found for this activity"),
    E0206("E0206", "team no longer open"),
    E0207("E0207", "request signature missing or wrong"),
    // Partner isolation (issue 12): a payment notice for an order closed before it was paid.
    E0208("E0208", "paid after the order was closed: refund the buyer"),
    // edge: a correctly signed request whose webhook-id was already used (a replay); nothing is done.
    E0210("E0210", "signed request already received (webhook-id reused)"),
    E0301("E0301", "notify task not found"),
    E0302("E0302", "notify task state does not allow this"),
    // resilience: E0401-E0402
    /** Redis or the database is down or too slow: nothing was done, HTTP 503 with Retry-After. */
    E0401("E0401", "a dependency is unavailable, retry later"),
    ;

    private final String code;
    private final String info;
}
