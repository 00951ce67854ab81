package com.groupbuy.market.domain.trade.model.valobj;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The callback bodies are a partner contract: these are the exact bytes partners have always received (keys, key
 * order, types, escaping), as the adapters built them before the domain did.
 */
class CallbackBodyTest {

    @Test
    void settlementBodyIsTeamIdThenThePaidTradeNumbersInLockOrder() {
        assertThat(new SettlementCallback("t-1", List.of("out-b", "out-a")).toJson())
                .isEqualTo("{\"teamId\":\"t-1\",\"outTradeNoList\":[\"out-b\",\"out-a\"]}");
        assertThat(new SettlementCallback("t-2", List.of()).toJson())
                .isEqualTo("{\"teamId\":\"t-2\",\"outTradeNoList\":[]}");
    }

    @Test
    void refundBodyKeepsItsSixKeysInOrderWithANumericActivityId() {
        assertThat(new RefundCallback(RefundType.PAID_FORMED, "u1", "t-1", 100123L, "o-9", "out-9").toJson())
                .isEqualTo("{\"type\":\"paid_formed\",\"userId\":\"u1\",\"teamId\":\"t-1\",\"activityId\":100123,"
                        + "\"orderId\":\"o-9\",\"outTradeNo\":\"out-9\"}");
    }

    @Test
    void stringsAreEscapedAsJacksonAlwaysDid() {
        assertThat(new RefundCallback(RefundType.UNPAID_UNLOCK, "u\"1\\\n\u0001é", "t", null, "o", "x").toJson())
                .isEqualTo("{\"type\":\"unpaid_unlock\",\"userId\":\"u\\\"1\\\\\\n\\u0001é\",\"teamId\":\"t\","
                        + "\"activityId\":null,\"orderId\":\"o\",\"outTradeNo\":\"x\"}");
    }

    @Test
    void closeCheckBodyNamesTheOrderOnlyForAnOrderCheck() {
        Instant closeAt = Instant.ofEpochMilli(1_700_000_000_123L);
        assertThat(CloseCheckVO.unpaidOrder("t", "o", closeAt, Duration.ofMinutes(15))
                        .toJson())
                .isEqualTo("{\"check\":\"unpaid_order\",\"teamId\":\"t\",\"orderId\":\"o\","
                        + "\"closeAt\":1700000000123,\"delayMs\":900000}");
        assertThat(CloseCheckVO.teamExpiry("t", closeAt, Duration.ofSeconds(30)).toJson())
                .isEqualTo("{\"check\":\"team_expiry\",\"teamId\":\"t\",\"closeAt\":1700000000123,\"delayMs\":30000}");
    }
}
