package com.groupbuy.market.domain.switches.model.valobj;

import java.time.Instant;

/** One audited change: which switch, from what to what, who asked (and from where), when. */
public record SwitchChangeVO(
        long id,
        String name,
        String oldValue,
        String newValue,
        String changedBy,
        String remoteAddress,
        Instant changedAt) {}
