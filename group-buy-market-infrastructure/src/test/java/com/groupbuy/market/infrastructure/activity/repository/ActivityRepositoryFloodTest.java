package com.groupbuy.market.infrastructure.activity.repository;

import static org.assertj.core.api.Assertions.assertThat;

import com.groupbuy.market.infrastructure.activity.dao.IMarketConfigDao;
import com.groupbuy.market.infrastructure.activity.po.GroupBuyActivityPO;
import com.groupbuy.market.infrastructure.activity.po.GroupBuyDiscountPO;
import com.groupbuy.market.infrastructure.activity.po.SkuPO;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The trial is unauthenticated and caches what it does not find, so a hostile caller can ask for as many unknown
 * goods ids as it likes. Those answers must never push the real configuration out of the cache: every partner's warm
 * trial would then read the configuration tables again (the documented cost is 0 reads when warm).
 */
class ActivityRepositoryFloodTest {

    /** Above the cache's bound (100 000), as a flood of unknown ids within one TTL would be. */
    private static final int HOSTILE_IDS = 150_000;

    @Test
    void unknownIdsDoNotEvictTheRealConfiguration() {
        CountingDao dao = new CountingDao();
        // A lifetime no run outlasts: the flood is about the cache's size bound, and with the default 30 s a run slowed
        // past it (32.6 s on a machine at load 18) saw the mapping expire and read it again, failing for the wrong
        // reason.
        ActivityRepository repository = new ActivityRepository(dao, Duration.ofHours(1), Runnable::run);
        warmTrial(repository);
        assertThat(dao.reads("sku:g1")).isEqualTo(1);

        for (int i = 0; i < HOSTILE_IDS; i++) {
            String goods = "x" + i;
            repository.querySkuAsync(goods).join();
            assertThat(repository.queryActivityIdBySourceChannelGoods("s01", "c01", goods))
                    .isNull();
        }
        // Still cached as absent (the flood itself does not reach the database twice for one id).
        repository.querySku("x" + (HOSTILE_IDS - 1));
        assertThat(dao.reads("sku:x" + (HOSTILE_IDS - 1))).isEqualTo(1);

        warmTrial(repository);
        assertThat(dao.reads("sc:s01:c01:g1")).as("mapping read again").isEqualTo(1);
        assertThat(dao.reads("activity:100")).as("activity read again").isEqualTo(1);
        assertThat(dao.reads("discount:d1")).as("discount read again").isEqualTo(1);
        assertThat(dao.reads("sku:g1")).as("goods read again").isEqualTo(1);
    }

    private static void warmTrial(ActivityRepository repository) {
        assertThat(repository.querySkuAsync("g1").join()).isNotNull();
        Long activity = repository.queryActivityIdBySourceChannelGoods("s01", "c01", "g1");
        assertThat(activity).isEqualTo(100L);
        assertThat(repository.queryDiscount(repository.queryActivity(activity).getDiscountId()))
                .isNotNull();
    }

    /** One real goods g1 sold by s01/c01 through activity 100 with discount d1; nothing else exists. */
    private static final class CountingDao implements IMarketConfigDao {
        private final Map<String, AtomicInteger> reads = new ConcurrentHashMap<>();

        int reads(String key) {
            AtomicInteger n = reads.get(key);
            return n == null ? 0 : n.get();
        }

        private void count(String key) {
            reads.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
        }

        @Override
        public GroupBuyActivityPO queryActivity(Long activityId) {
            count("activity:" + activityId);
            if (activityId != 100L) {
                return null;
            }
            GroupBuyActivityPO po = new GroupBuyActivityPO();
            po.setActivityId(100L);
            po.setDiscountId("d1");
            po.setTarget(3);
            po.setValidTime(15);
            po.setTakeLimitCount(1);
            po.setStatus(1);
            po.setStartTime(Instant.parse("2026-01-01T00:00:00Z"));
            po.setEndTime(Instant.parse("2027-01-01T00:00:00Z"));
            return po;
        }

        @Override
        public GroupBuyDiscountPO queryDiscount(String discountId) {
            count("discount:" + discountId);
            if (!"d1".equals(discountId)) {
                return null;
            }
            GroupBuyDiscountPO po = new GroupBuyDiscountPO();
            po.setDiscountId("d1");
            po.setDiscountType(0);
            po.setMarketPlan("ZJ");
            po.setMarketExpr("20");
            return po;
        }

        @Override
        public SkuPO querySku(String goodsId) {
            count("sku:" + goodsId);
            if (!"g1".equals(goodsId)) {
                return null;
            }
            SkuPO po = new SkuPO();
            po.setGoodsId("g1");
            po.setOriginalPrice(new BigDecimal("100.00"));
            return po;
        }

        @Override
        public Long queryActivityIdBySourceChannelGoods(String source, String channel, String goodsId) {
            count("sc:" + source + ":" + channel + ":" + goodsId);
            return "s01".equals(source) && "c01".equals(channel) && "g1".equals(goodsId) ? 100L : null;
        }
    }
}
