package com.groupbuy.market.config.openapi;

import com.groupbuy.market.types.enums.ResponseCode;
import java.util.EnumMap;
import java.util.Map;

/**
 * What a partner mall should do on each code we answer: the table of the OpenAPI description, with the HTTP statuses
 * each code comes with and the endpoints that answer it, as {@code docs/api.md}'s "Codes" table gives them. Every
 * {@link ResponseCode} needs a line (OpenApiDescriptionIT fails otherwise), so a new code is never undocumented, and
 * {@code PartnerCodeTableTest} holds the statuses and endpoints to api.md's table.
 */
final class PartnerCodeAdvice {

    /** A code's line: its HTTP statuses and endpoints (api.md's cells) and what the partner should do. */
    record Line(String http, String endpoints, String advice) {}

    private static final Map<ResponseCode, Line> LINES = new EnumMap<>(ResponseCode.class);

    private static void put(ResponseCode code, String http, String endpoints, String advice) {
        LINES.put(code, new Line(http, endpoints, advice));
    }

    static {
        put(ResponseCode.SUCCESS, "200", "all", "Done: act on `data`.");
        put(
                ResponseCode.UN_ERROR,
                "500",
                "all",
                "Our fault (HTTP 500, `data` null, no stack trace). Retry the same request later: lock, settlement and "
                        + "refund are idempotent on `outTradeNo`.");
        put(
                ResponseCode.ILLEGAL_PARAMETER,
                "200; 400, 403, 404, 405, 406, 408, 415, 421",
                "all",
                "Nothing was done; fix the request, do not send it unchanged. HTTP 200: a field or parameter is missing, "
                        + "blank, too long, of the wrong JSON type, given twice or breaks a rule (`info` starts "
                        + "`illegal parameter: ` and names it), or the body is over 64 KiB. HTTP 400: the body is not "
                        + "JSON, or the web server refused the request (request line or headers over 8 KB, a bad path "
                        + "escape, a malformed header, ...). HTTP 403: an admin call without the right `X-Admin-Token`. "
                        + "HTTP 404: no such path. HTTP 405: wrong method (`Allow` names the path's methods). HTTP 406: "
                        + "an actuator endpoint with no answer of a type `Accept` names (operators only). HTTP 408: the "
                        + "body was still arriving 10 s after its headers (the connection is closed). HTTP 415: a "
                        + "`Content-Type` that is not JSON, a wildcard, does not parse or names an unknown charset. "
                        + "HTTP 421: `Host` names none of the names this server answers to (or is missing).");
        put(
                ResponseCode.UNIQUE_KEY_CONFLICT,
                "200",
                "lock",
                "Nothing was written and no place taken; two cases, told apart by `info`. `info` \"outTradeNo ... is "
                        + "already an order for other parameters: ...\" (it says which: `goodsId`, `activityId`, "
                        + "`teamId`, or the notify target of the order that opened its team): the number is taken by "
                        + "another order and every repeat is refused the same way; use a new `outTradeNo` for a new "
                        + "order. `info` ending `retry` (\"no free team or order id after 5 draws, retry\", \"order "
                        + "could not be written, retry\"): send the same request again, with the same `outTradeNo`; it "
                        + "is answered normally.");
        put(
                ResponseCode.UPDATE_ZERO,
                "200",
                "admin switch change",
                "Admin only: the switch changed meanwhile, so it no longer has your `expected` value (`info` gives the "
                        + "value stored now); nothing was stored or audited. Read the switch again and make your change "
                        + "on what is stored now; sending the same request again is refused the same way. Never "
                        + "answered to a trade call.");
        put(
                ResponseCode.HTTP_EXCEPTION,
                "—",
                "—",
                "Not answered today (an outbound call of ours failing is never a partner's answer).");
        put(
                ResponseCode.RATE_LIMITER,
                "200; 429",
                "lock, settlement; admin",
                "HTTP 200 on lock or settlement: over a rate limit of your `source` + `channel` or of one of your users "
                        + "(`info` says which), nothing read or written; wait a moment and send the same request again "
                        + "(it is idempotent on `outTradeNo`). HTTP 429 with `Retry-After` (admin calls): too many "
                        + "wrong admin tokens; wait `Retry-After` seconds.");
        put(
                ResponseCode.E0001,
                "200",
                "trial, lock",
                "The activity's discount is misconfigured on our side: sell at the original price and tell us.");
        put(
                ResponseCode.E0002,
                "200",
                "trial, lock",
                "No group buy for this goods through your source/channel (`info` says what is unknown): sell at the "
                        + "original price.");
        put(
                ResponseCode.E0003,
                "200",
                "trial, lock",
                "Group buying is switched off for now: hide the group-buy offer, sell at the original price.");
        put(
                ResponseCode.E0004,
                "200",
                "trial, lock",
                "This user is outside the share of users admitted now: hide the group-buy offer for this user.");
        put(
                ResponseCode.E0005,
                "200",
                "lock",
                "The team filled meanwhile: offer the buyer another team or a new one (lock with `teamId` empty).");
        put(ResponseCode.E0006, "200", "lock", "The team is already at its target: offer another team or a new one.");
        put(
                ResponseCode.E0007,
                "200",
                "lock",
                "This user may not join this activity (audience): do not offer joining.");
        put(ResponseCode.E0008, "200", "lock", "No place left in the team: offer another team or a new one.");
        put(ResponseCode.E0101, "200", "trial, lock", "The activity is not effective: sell at the original price.");
        put(
                ResponseCode.E0102,
                "200",
                "trial, lock",
                "Outside the activity's time window: sell at the original price.");
        put(
                ResponseCode.E0103,
                "200",
                "lock",
                "The user reached the activity's participation limit: do not lock again for this user.");
        put(
                ResponseCode.E0104,
                "200",
                "settlement, refund",
                "No such order of yours (unknown `outTradeNo` for this user, source and channel, or already "
                        + "refunded): check the number; nothing was changed.");
        put(
                ResponseCode.E0105,
                "200",
                "lock, settlement, refund",
                "Your `source` + `channel` is refused here (the operator's black/allowlist): locks, settlements and "
                        + "refunds are refused and nothing is written, except the repeat of what we already did (a "
                        + "settled order's payment notice answers its settlement, a closed order's refund `repeat`, a "
                        + "locked order's lock that order). Contact us.");
        put(
                ResponseCode.E0106,
                "200",
                "settlement",
                "`outTradeTime` is outside the team's window: the buyer paid too late; refund the buyer (the order "
                        + "stays locked until it times out).");
        put(
                ResponseCode.E0201,
                "200",
                "lock",
                "This `outTradeNo` is already paid: do not lock it again; settle answers it as settled.");
        put(
                ResponseCode.E0202,
                "200",
                "lock",
                "This `outTradeNo` was closed or refunded: lock with a new `outTradeNo`.");
        put(
                ResponseCode.E0203,
                "200",
                "lock",
                "The notify type is not offered here (MQ switched off): lock with `notifyType` HTTP and a `notifyUrl`.");
        put(
                ResponseCode.E0204,
                "200",
                "lock",
                "The `notifyUrl` is refused (`info` says why); nothing was written. Its form: not http(s), longer than "
                        + "512 characters as sent, not a valid URL, credentials in it, a port outside 1-65535, or a URL "
                        + "our callback client cannot send to (an IPv6 zone, a label over 63 characters, invalid "
                        + "punycode); its host: does not resolve, or resolves to an address that is not public. Send a "
                        + "public http(s) URL. \"notifyUrl host did not resolve in time\" (its name server did not "
                        + "answer within 1 s) or \"notifyUrl host lookups are busy, try again\": send the same lock "
                        + "again (it is idempotent on `outTradeNo`). A repeat of an order you already have is never "
                        + "answered this.");
        put(
                ResponseCode.E0205,
                "200",
                "lock",
                "No such team of yours in this activity: lock with `teamId` empty to open one, or pick a team from the "
                        + "trial's `teamList`.");
        put(
                ResponseCode.E0206,
                "200",
                "lock, settlement",
                "The team is no longer open (complete, failed or expired). Lock: offer another team or a new one. "
                        + "Settlement: we did not take the payment; refund the buyer.");
        put(
                ResponseCode.E0207,
                "401",
                "lock, settlement, refund; trial (address binding only)",
                "HTTP 401: your source/channel must sign requests (Standard Webhooks headers `webhook-id`, "
                        + "`webhook-timestamp`, `webhook-signature`) and the signature was missing, wrong or more than 5 "
                        + "minutes off, or the request came unsigned from outside the addresses your pair is bound to "
                        + "(the trial too). Nothing was done.");
        put(
                ResponseCode.E0208,
                "200",
                "settlement",
                "The order had been closed unpaid before this payment notice: refund the buyer.");
        put(
                ResponseCode.E0210,
                "401",
                "lock, settlement, refund",
                "HTTP 401: this signed request (`webhook-id`) was already received; nothing was done. Send a new "
                        + "`webhook-id` for a new request.");
        put(ResponseCode.E0301, "200", "admin notify", "Admin: no such notify task id.");
        put(
                ResponseCode.E0302,
                "200",
                "admin notify",
                "Admin: the task's state does not allow this (only a FAIL task can be re-driven).");
        put(
                ResponseCode.E0401,
                "503",
                "all",
                "HTTP 503 with `Retry-After`: a dependency of ours is down; nothing was done. Retry the same request "
                        + "after `Retry-After` seconds.");
    }

    private PartnerCodeAdvice() {}

    /** The advice for a code, or null when nobody wrote one yet. */
    static String of(ResponseCode code) {
        Line line = LINES.get(code);
        return line == null ? null : line.advice();
    }

    /** A code's whole line, or null when nobody wrote one yet. */
    static Line line(ResponseCode code) {
        return LINES.get(code);
    }

    /** The table row a code gets in the description (without its line break). */
    static String row(ResponseCode code) {
        Line line = LINES.get(code);
        return "| `" + code.getCode() + "` | " + (line == null ? "?" : line.http()) + " | "
                + (line == null ? "?" : line.endpoints()) + " | " + code.getInfo() + " | "
                + (line == null ? "(not documented yet)" : line.advice().replace("|", "\\|")) + " |";
    }

    /** The Markdown table of every code, its HTTP statuses, endpoints, meaning and what to do. */
    static String table() {
        StringBuilder table = new StringBuilder(
                "| code | HTTP | endpoints | meaning | what the partner should do |\n|---|---|---|---|---|\n");
        for (ResponseCode code : ResponseCode.values()) {
            table.append(row(code)).append('\n');
        }
        return table.toString();
    }
}
