package com.groupbuy.market.foundation;

import com.groupbuy.market.domain.outbox.model.entity.NotifyTaskEntity;
import com.groupbuy.market.domain.outbox.model.valobj.NotifyTarget;

/** The outbox tests' plain HTTP callback task: one team of one partner, a settlement's category, an empty body. */
final class HttpTaskEntities {

    private HttpTaskEntities() {}

    static NotifyTaskEntity task(String key, String url) {
        return NotifyTaskEntity.builder()
                .taskKey(key)
                .activityId(1L)
                .teamId("00000001")
                .source("s01")
                .channel("c01")
                .notifyCategory("trade_settlement")
                .notifyType(NotifyTarget.HTTP)
                .notifyUrl(url)
                .body("{}")
                .build();
    }
}
