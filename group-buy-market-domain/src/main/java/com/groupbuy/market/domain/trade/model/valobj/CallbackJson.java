package com.groupbuy.market.domain.trade.model.valobj;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;

/** Serializes a callback body: Jackson's defaults over an ordered map, the bytes partners have always received. */
final class CallbackJson {

    private static final ObjectMapper JSON = new ObjectMapper();

    private CallbackJson() {}

    static String write(Map<String, Object> body) {
        try {
            return JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
