package com.groupbuy.market.domain.audit.model.valobj;

import java.time.Instant;

/**
 * One admitted admin action that changes state. {@code operator}: the named operator whose token or console session it
 * showed, or {@code gbm.admin.token} when {@code sharedToken} (whose holder nothing names); {@code path} and {@code
 * query} say what it acted on; {@code httpStatus} and {@code code} how it was answered (code {@code 0000}: accepted).
 */
public record AdminActionVO(
        long id,
        String operator,
        boolean sharedToken,
        String method,
        String path,
        String query,
        String remoteAddress,
        int httpStatus,
        String code,
        Instant actedAt) {}
