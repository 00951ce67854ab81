package com.groupbuy.market.tag;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import com.groupbuy.market.activity.MarketConfigFixture;
import com.groupbuy.market.domain.tag.service.CrowdTagImportService;
import com.groupbuy.market.infrastructure.tag.port.TagBitmap;
import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.PrivateRedis;
import com.groupbuy.market.support.SecondInstance;
import com.groupbuy.market.support.StartRefusal;
import com.groupbuy.market.support.TestJson;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.redisson.api.RedissonClient;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Redis run as a cache ({@code maxmemory-policy allkeys-lru} and the like) deletes keys of ours when memory is full.
 * None is a cache: a crowd tag's live bitmap evicted while its "loaded" mark stays turns every member into a
 * non-member (no audience price, E0007 on lock) until the next import. Eviction deletes a key as {@code DEL} does, so
 * the first test deletes the bitmap itself. On main the service started on such a Redis without a word; a start now
 * reads {@code maxmemory_policy} from {@code INFO memory} and refuses any policy but {@code noeviction}
 * ({@code volatile-*} evicts replay marks and team place hashes, which carry a TTL), naming the way out.
 */
@IntegrationTest
class RedisEvictionPolicyIT {

    private static final String TRIAL = "/api/v1/gbm/index/query_group_buy_market_config";
    private static final String LOCK = "/api/v1/gbm/trade/lock_market_pay_order";
    private static final long ACTIVITY = 27_001;

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    CrowdTagImportService importService;

    @Autowired
    TagBitmap bitmap;

    @Autowired
    RedissonClient redisson;

    @Autowired
    Environment environment;

    @Test
    void aTagBitmapEvictedLeavesItsMembersRefused() throws Exception {
        new CrowdTagFixture(jdbc).tag("EV-TAG", List.of("u1"));
        importService.importMembers("EV-TAG");
        new MarketConfigFixture(jdbc).goods("g" + ACTIVITY, ACTIVITY, "ZJ", "20", "100.00", "EV-TAG", "1,2", 0, null);
        assertThat(trial("u1").path("isEnable").asBoolean()).as("a member").isTrue();

        // What allkeys-lru does to the bitmap when memory is full; the loaded mark, read on every trial, stays.
        redisson.getKeys().delete(bitmap.membersKey("EV-TAG"));

        assertThat(bitmap.isLoaded("EV-TAG")).isTrue();
        assertThat(trial("u1").path("isEnable").asBoolean())
                .as("the member after the eviction")
                .isFalse();
        assertThat(TestJson.postEnvelope(
                                port,
                                LOCK,
                                "{\"userId\":\"u1\",\"teamId\":\"\",\"activityId\":" + ACTIVITY + ",\"goodsId\":\"g"
                                        + ACTIVITY
                                        + "\",\"source\":\"s01\",\"channel\":\"c01\",\"outTradeNo\":\"ev-1\","
                                        + "\"notifyUrl\":\"http://127.0.0.1:1/api/v1/test/group_buy_notify\"}")
                        .path("code")
                        .asText())
                .isEqualTo("E0007");
    }

    @Test
    void aStartOnARedisThatEvictsKeysIsRefused() throws Exception {
        for (String policy : List.of("allkeys-lru", "volatile-ttl")) {
            PrivateRedis cache = PrivateRedis.start(p -> List.of("--maxmemory", "64mb", "--maxmemory-policy", policy));
            try {
                Throwable refusal =
                        catchThrowable(() -> SecondInstance.like(environment, "spring.data.redis.port=" + cache.port())
                                .close());
                assertThat(refusal).as("the start on a %s Redis", policy).isNotNull();
                assertThat(StartRefusal.innermost(refusal))
                        .hasMessageStartingWith("refusing to start: Redis 127.0.0.1:" + cache.port()
                                + " runs maxmemory-policy " + policy)
                        .hasMessageContaining("set maxmemory-policy noeviction");
            } finally {
                cache.kill();
            }
        }
    }

    private JsonNode trial(String userId) throws Exception {
        return TestJson.postEnvelope(
                        port,
                        TRIAL,
                        "{\"userId\":\"" + userId + "\",\"source\":\"s01\",\"channel\":\"c01\",\"goodsId\":\"g"
                                + ACTIVITY + "\"}")
                .path("data");
    }
}
