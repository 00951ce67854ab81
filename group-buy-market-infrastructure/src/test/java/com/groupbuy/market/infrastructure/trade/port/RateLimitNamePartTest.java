package com.groupbuy.market.infrastructure.trade.port;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A partner's text in a rate-limit bucket's name: never a brace (Redis Cluster would hash the bucket's keys into
 * different slots, ClusterRateLimitKeysIT), plain ids unchanged (existing buckets keep their names), and two different
 * ids never one name.
 */
class RateLimitNamePartTest {

    @Test
    void plainIdsAreUnchanged() {
        assertThat(RedisTradeRateLimiter.literal("user-42")).isEqualTo("user-42");
        assertThat(RedisTradeRateLimiter.literal("s01")).isEqualTo("s01");
    }

    @Test
    void bracesNeverReachTheName() {
        for (String id : List.of("a{b", "a}b", "{x}", "}{", "{}", "%7B")) {
            assertThat(RedisTradeRateLimiter.literal(id)).doesNotContain("{", "}");
        }
    }

    @Test
    void differentIdsGiveDifferentNames() {
        List<String> ids = List.of("a{b", "a%7Bb", "a%257Bb", "a}b", "a%7Db", "a%b", "a%25b");
        assertThat(ids.stream().map(RedisTradeRateLimiter::literal).distinct()).hasSize(ids.size());
    }
}
