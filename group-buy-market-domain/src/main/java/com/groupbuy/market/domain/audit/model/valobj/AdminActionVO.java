package com.groupbuy.market.domain.audit.model.valobj;

import java.time.Instant;

/**
 * One admitted admin action that changes state. {@code operator}: the named operator whose token or console session it
 * showed, or {@code gbm.admin.token} when {@code sharedToken} (whose holder nothing names); {@code path} and {@code
 * query} say what it acted on; {@code actedAt} when it was admitted and recorded, before it ran (before V20: when it
 * answered). {@code httpStatus} and {@code code} say how it was answered (code {@code 0000}: accepted), at {@code
 * answeredAt}; all three are null while its outcome is unknown: the action is running, or its process died or its
 * outcome could not be written after it ran, so it may or may not have taken effect.
 */
public record AdminActionVO(
        long id,
        String operator,
        boolean sharedToken,
        String method,
        String path,
        String query,
        String remoteAddress,
        Integer httpStatus,
        String code,
        Instant actedAt,
        Instant answeredAt) {}
