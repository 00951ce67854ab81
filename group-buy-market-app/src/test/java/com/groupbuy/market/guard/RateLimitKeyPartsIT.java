package com.groupbuy.market.guard;

import static org.assertj.core.api.Assertions.assertThat;

import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.TestJson;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

/**
 * A user's bucket was named by joining source, channel and user id with colons, so (s01, {@code c01:wx}, {@code 1}) —
 * a pair anyone may name, needing no signature where only s01:c01 must sign — used up the bucket of s01/c01's buyer
 * {@code wx:1}, whose next lock was refused 0006 though it had sent nothing. Each part's colons are escaped now.
 */
@IntegrationTest
@TestPropertySource(properties = "gbm.rate-limit.user=1")
class RateLimitKeyPartsIT {

    private static final String LOCK = "/api/v1/gbm/trade/lock_market_pay_order";

    @LocalServerPort
    int port;

    @Test
    void anotherPairsUserWhoseIdsJoinToTheSameTextHasABucketOfItsOwn() throws Exception {
        // Unknown goods: an admitted lock is refused by the use case (E0002), so nothing is written either way.
        String other = lock("c01:wx", "1", "o-other");
        String buyer = lock("c01", "wx:1", "o-buyer");

        assertThat(other).isNotEqualTo("0006");
        assertThat(buyer).as("s01/c01's buyer wx:1, first request").isNotEqualTo("0006");
        // The limit is on: the buyer's own requests at once after it are limited.
        List<String> again = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            again.add(lock("c01", "wx:1", "o-buyer-" + i));
        }
        assertThat(again).contains("0006");
    }

    private String lock(String channel, String userId, String outTradeNo) throws Exception {
        return TestJson.postEnvelope(
                        port,
                        LOCK,
                        "{\"userId\":\"" + userId + "\",\"teamId\":\"\",\"activityId\":1,\"goodsId\":\"g-unknown\","
                                + "\"source\":\"s01\",\"channel\":\"" + channel + "\",\"outTradeNo\":\"" + outTradeNo
                                + "\",\"notifyUrl\":\"http://127.0.0.1:1/cb\"}")
                .path("code")
                .asText();
    }
}
