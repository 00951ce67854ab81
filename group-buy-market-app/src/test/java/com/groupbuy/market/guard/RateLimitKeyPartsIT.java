package com.groupbuy.market.guard;

import static org.assertj.core.api.Assertions.assertThat;

import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.TestJson;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.redisson.api.RedissonClient;
import org.redisson.api.options.KeysScanOptions;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

/**
 * The rate buckets' names and lifetimes in Redis, for any source + channel a caller names.
 * <p>
 * A user's bucket was named by joining source, channel and user id with colons, so (s01, {@code c01:wx}, {@code 1}) —
 * a pair anyone may name, needing no signature where only s01:c01 must sign — used up the bucket of s01/c01's buyer
 * {@code wx:1}, whose next lock was refused 0006 though it had sent nothing. Each part's colons are escaped now.
 * <p>
 * The rate check runs before anything tells whether the pair is anyone's, so every made-up pair gets buckets; each was
 * kept an hour (a user's ten minutes) after its last use, and a flood of distinct made-up pairs held Redis memory for
 * its rate times an hour. A bucket whose window has passed is the same as none: now kept its window and a second.
 */
@IntegrationTest
@TestPropertySource(properties = {"gbm.rate-limit.user=1", "gbm.rate-limit.pair-default=1000"})
class RateLimitKeyPartsIT {

    private static final String LOCK = "/api/v1/gbm/trade/lock_market_pay_order";
    /** A bucket's one-second window and the second's margin it is kept beyond it. */
    private static final long KEPT_MS = 2_000;

    @LocalServerPort
    int port;

    @Autowired
    RedissonClient redisson;

    @Value("${gbm.redis.key-prefix}")
    String redisPrefix;

    @Test
    void anotherPairsUserWhoseIdsJoinToTheSameTextHasABucketOfItsOwn() throws Exception {
        // Unknown goods: an admitted lock is refused by the use case (E0002), so nothing is written either way.
        String other = lock("s01", "c01:wx", "1", "o-other");
        String buyer = lock("s01", "c01", "wx:1", "o-buyer");

        assertThat(other).isNotEqualTo("0006");
        assertThat(buyer).as("s01/c01's buyer wx:1, first request").isNotEqualTo("0006");
        // The limit is on: the buyer's own requests at once after it are limited.
        List<String> again = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            again.add(lock("s01", "c01", "wx:1", "o-buyer-" + i));
        }
        assertThat(again).contains("0006");
    }

    @Test
    void aBurstOfMadeUpPairsLeavesNoBucketBeyondItsWindow() throws Exception {
        String madeUp = "mu" + UUID.randomUUID().toString().substring(0, 8);
        int pairs = 20;
        try {
            for (int i = 0; i < pairs; i++) {
                assertThat(lock(madeUp + "-" + i, "c", "u", "o-" + i)).isNotEqualTo("0006");
                // Read at once after its request: read after the whole burst, a slow machine's first buckets had
                // already left (CI saw 104 of 120 keys), which is the behaviour under test, not a failure of it.
                Map<String, Long> ttls = bucketTtls(madeUp + "-" + i + ":");
                assertThat(ttls).as("bucket keys of made-up pair %s", i).isNotEmpty();
                assertThat(ttls)
                        .as("milliseconds each bucket key of a made-up pair stays in Redis")
                        .allSatisfy((key, ttl) -> assertThat(ttl).isBetween(1L, KEPT_MS));
            }

            long until = System.nanoTime() + 10_000_000_000L;
            while (!bucketTtls(madeUp).isEmpty() && System.nanoTime() < until) {
                Thread.sleep(100);
            }
            assertThat(bucketTtls(madeUp))
                    .as("bucket keys left after their window")
                    .isEmpty();
        } finally {
            redisson.getKeys().deleteByPattern("*" + redisPrefix + "ratelimit:*" + madeUp + "*");
        }
    }

    /** Each bucket key naming a source that starts with {@code madeUp}, with the milliseconds Redis keeps it. */
    private Map<String, Long> bucketTtls(String madeUp) {
        Map<String, Long> ttls = new TreeMap<>();
        // SCAN's default of 10 keys a call took seconds per read on the suite's shared Redis (~250,000 keys).
        for (String key : redisson.getKeys()
                .getKeys(KeysScanOptions.defaults()
                        .pattern("*" + redisPrefix + "ratelimit:*" + madeUp + "*")
                        .chunkSize(10_000))) {
            long ttl = redisson.getKeys().remainTimeToLive(key);
            if (ttl != -2) { // -2: gone since the scan, which is what the keys should do
                ttls.put(key, ttl);
            }
        }
        return ttls;
    }

    private String lock(String source, String channel, String userId, String outTradeNo) throws Exception {
        return TestJson.postEnvelope(
                        port,
                        LOCK,
                        "{\"userId\":\"" + userId + "\",\"teamId\":\"\",\"activityId\":1,\"goodsId\":\"g-unknown\","
                                + "\"source\":\"" + source + "\",\"channel\":\"" + channel + "\",\"outTradeNo\":\""
                                + outTradeNo + "\",\"notifyUrl\":\"http://127.0.0.1:1/cb\"}")
                .path("code")
                .asText();
    }
}
