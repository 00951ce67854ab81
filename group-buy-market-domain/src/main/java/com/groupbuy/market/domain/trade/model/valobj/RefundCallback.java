package com.groupbuy.market.domain.trade.model.valobj;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The body of a refund callback and of the refund event (a partner contract: keys, order and types never change):
 * {@code {"type":"…","userId":"…","teamId":"…","activityId":1,"orderId":"…","outTradeNo":"…"}}.
 */
public record RefundCallback(
        RefundType type, String userId, String teamId, Long activityId, String orderId, String outTradeNo) {

    public String toJson() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", type.getType());
        body.put("userId", userId);
        body.put("teamId", teamId);
        body.put("activityId", activityId);
        body.put("orderId", orderId);
        body.put("outTradeNo", outTradeNo);
        return CallbackJson.write(body);
    }
}
