package com.groupbuy.market.domain.trade.model.valobj;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The body a partner receives when its team completed (a partner contract: keys, order and types never change):
 * {@code {"teamId":"…","outTradeNoList":["…",…]}}, the paid members' trade numbers in the order they locked.
 */
public record SettlementCallback(String teamId, List<String> outTradeNoList) {

    public SettlementCallback {
        outTradeNoList = List.copyOf(outTradeNoList);
    }

    public String toJson() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("teamId", teamId);
        body.put("outTradeNoList", outTradeNoList);
        return CallbackJson.write(body);
    }
}
