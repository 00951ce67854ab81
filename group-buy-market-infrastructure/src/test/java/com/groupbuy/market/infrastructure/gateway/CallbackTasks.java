package com.groupbuy.market.infrastructure.gateway;

import com.groupbuy.market.domain.outbox.model.valobj.NotifyTaskVO;

/** A settlement callback of team t1 (source s01, channel c01, body {@code {}}) to a URL a test names. */
final class CallbackTasks {

    private CallbackTasks() {}

    static NotifyTaskVO to(String notifyUrl) {
        return NotifyTaskVO.builder()
                .id(1)
                .webhookId("msg_1")
                .teamId("t1")
                .source("s01")
                .channel("c01")
                .notifyCategory("trade_settlement")
                .notifyType("HTTP")
                .notifyUrl(notifyUrl)
                .body("{}")
                .claimToken("x")
                .build();
    }
}
