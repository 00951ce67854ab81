package com.groupbuy.market.config.openapi;

import com.groupbuy.market.types.enums.ResponseCode;
import java.util.EnumMap;
import java.util.Map;

/**
 * What a partner mall should do on each code we answer: the table of the OpenAPI description. Every
 * {@link ResponseCode} needs a line (OpenApiDescriptionIT fails otherwise), so a new code is never undocumented.
 */
final class PartnerCodeAdvice {

    private static final Map<ResponseCode, String> ADVICE = new EnumMap<>(ResponseCode.class);

    static {
        ADVICE.put(ResponseCode.SUCCESS, "Done: act on `data`.");
        ADVICE.put(
                ResponseCode.UN_ERROR,
                "Our fault (HTTP 500). Retry the same request later: lock, settlement and refund are idempotent on `outTradeNo`.");
        ADVICE.put(
                ResponseCode.ILLEGAL_PARAMETER,
                "A field is missing, blank, too long or of the wrong JSON type (`info` names it); HTTP 400 when the body is not JSON, 403 on an admin call without the token. Nothing was written: fix the request, do not retry it unchanged.");
        ADVICE.put(
                ResponseCode.UNIQUE_KEY_CONFLICT,
                "A write met a unique key: retry once with the same `outTradeNo`; the retry answers the order that exists. A lock whose `outTradeNo` is already an order for another `goodsId`, `activityId` or `teamId` (`info` says which) is refused this way every time: use a new `outTradeNo` for a new order.");
        ADVICE.put(
                ResponseCode.UPDATE_ZERO,
                "The state changed while we wrote: retry once; the answer then reflects the new state.");
        ADVICE.put(
                ResponseCode.HTTP_EXCEPTION,
                "Internal (an outbound call of ours failed); not answered to partners today. Retry later.");
        ADVICE.put(ResponseCode.RATE_LIMITER, "Too many calls: wait and retry with backoff.");
        ADVICE.put(
                ResponseCode.E0001,
                "The activity's discount is misconfigured on our side: sell at the original price and tell us.");
        ADVICE.put(
                ResponseCode.E0002,
                "No group buy for this goods through your source/channel (`info` says what is unknown): sell at the original price.");
        ADVICE.put(
                ResponseCode.E0003,
                "Group buying is switched off for now: hide the group-buy offer, sell at the original price.");
        ADVICE.put(
                ResponseCode.E0004,
                "This user is outside the share of users admitted now: hide the group-buy offer for this user.");
        ADVICE.put(
                ResponseCode.E0005,
                "The team filled meanwhile: offer the buyer another team or a new one (lock with `teamId` empty).");
        ADVICE.put(ResponseCode.E0006, "The team is already at its target: offer another team or a new one.");
        ADVICE.put(ResponseCode.E0007, "This user may not join this activity (audience): do not offer joining.");
        ADVICE.put(ResponseCode.E0008, "No place left in the team: offer another team or a new one.");
        ADVICE.put(ResponseCode.E0101, "The activity is not effective: sell at the original price.");
        ADVICE.put(ResponseCode.E0102, "Outside the activity's time window: sell at the original price.");
        ADVICE.put(
                ResponseCode.E0103,
                "The user reached the activity's participation limit: do not lock again for this user.");
        ADVICE.put(
                ResponseCode.E0104,
                "No such order of yours (unknown `outTradeNo` for this user, source and channel, or already refunded): check the number; nothing was changed.");
        ADVICE.put(ResponseCode.E0105, "Your source/channel may not settle here: contact us.");
        ADVICE.put(
                ResponseCode.E0106,
                "`outTradeTime` is outside the team's window: the buyer paid too late; refund the buyer (the order stays locked until it times out).");
        ADVICE.put(
                ResponseCode.E0201,
                "This `outTradeNo` is already paid: do not lock it again; settle answers it as settled.");
        ADVICE.put(ResponseCode.E0202, "This `outTradeNo` was closed or refunded: lock with a new `outTradeNo`.");
        ADVICE.put(
                ResponseCode.E0203,
                "The notify type is not offered here (MQ switched off): lock with `notifyType` HTTP and a `notifyUrl`.");
        ADVICE.put(
                ResponseCode.E0204,
                "The `notifyUrl` is refused (not http(s), or not a public address): send a public https URL.");
        ADVICE.put(
                ResponseCode.E0205,
                "No such team in this activity: lock with `teamId` empty to open one, or pick a team from the trial's `teamList`.");
        ADVICE.put(
                ResponseCode.E0206,
                "The team is no longer open (complete, failed or expired): offer another team or a new one.");
        ADVICE.put(
                ResponseCode.E0207,
                "HTTP 401: your source/channel must sign requests (Standard Webhooks headers `webhook-id`, `webhook-timestamp`, `webhook-signature`); the signature was missing or wrong. Nothing was done.");
        ADVICE.put(
                ResponseCode.E0208, "The order had been closed unpaid before this payment notice: refund the buyer.");
        ADVICE.put(
                ResponseCode.E0210,
                "HTTP 401: this signed request (`webhook-id`) was already received; nothing was done. Send a new `webhook-id` for a new request.");
        ADVICE.put(ResponseCode.E0301, "Admin: no such notify task id.");
        ADVICE.put(
                ResponseCode.E0302, "Admin: the task's state does not allow this (only a FAIL task can be re-driven).");
        ADVICE.put(
                ResponseCode.E0401,
                "HTTP 503 with `Retry-After`: a dependency of ours is down; nothing was done. Retry the same request after `Retry-After` seconds.");
    }

    private PartnerCodeAdvice() {}

    /** The advice for a code, or null when nobody wrote one yet. */
    static String of(ResponseCode code) {
        return ADVICE.get(code);
    }

    /** The Markdown table of every code, its meaning and what to do. */
    static String table() {
        StringBuilder table = new StringBuilder("| code | meaning | what the partner should do |\n|---|---|---|\n");
        for (ResponseCode code : ResponseCode.values()) {
            String advice = ADVICE.get(code);
            table.append("| `")
                    .append(code.getCode())
                    .append("` | ")
                    .append(code.getInfo())
                    .append(" | ")
                    .append(advice == null ? "(not documented yet)" : advice.replace("|", "\\|"))
                    .append(" |\n");
        }
        return table.toString();
    }
}
