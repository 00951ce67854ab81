package com.groupbuy.market.infrastructure.activity.repository;

import static org.assertj.core.api.Assertions.assertThat;

import com.groupbuy.market.domain.activity.model.valobj.MarketConfigVO;
import com.groupbuy.market.infrastructure.activity.dao.IMarketConfigDao;
import com.groupbuy.market.infrastructure.activity.po.GroupBuyActivityPO;
import com.groupbuy.market.infrastructure.activity.po.GroupBuyDiscountPO;
import com.groupbuy.market.infrastructure.activity.po.MarketConfigPO;
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
        ActivityRepository repository = new ActivityRepository(dao, Duration.ofHours(1));
        warmTrial(repository);
        assertThat(dao.reads("g1")).isEqualTo(1);

        for (int i = 0; i < HOSTILE_IDS; i++) {
            assertThat(repository.queryMarketConfig("s01", "c01", "x" + i)).isEqualTo(MarketConfigVO.UNMAPPED);
        }
        // Still cached as absent (the flood itself does not reach the database twice for one id).
        repository.queryMarketConfig("s01", "c01", "x" + (HOSTILE_IDS - 1));
        assertThat(dao.reads("x" + (HOSTILE_IDS - 1))).isEqualTo(1);

        warmTrial(repository);
        assertThat(dao.reads("g1")).as("configuration read again").isEqualTo(1);
    }

    private static void warmTrial(ActivityRepository repository) {
        MarketConfigVO config = repository.queryMarketConfig("s01", "c01", "g1");
        assertThat(config.mappedActivityId()).isEqualTo(100L);
        assertThat(config.activity().getDiscountId()).isEqualTo("d1");
        assertThat(config.discount().getMarketExpr()).isEqualTo("20");
        assertThat(config.sku().getOriginalPrice()).isEqualByComparingTo("100.00");
    }

    /** One real goods g1 sold by s01/c01 through activity 100 with discount d1; nothing else exists. */
    private static final class CountingDao implements IMarketConfigDao {
        private final Map<String, AtomicInteger> reads = new ConcurrentHashMap<>();

        int reads(String goodsId) {
            AtomicInteger n = reads.get(goodsId);
            return n == null ? 0 : n.get();
        }

        @Override
        public MarketConfigPO queryMarketConfig(String source, String channel, String goodsId) {
            reads.computeIfAbsent(goodsId, k -> new AtomicInteger()).incrementAndGet();
            MarketConfigPO config = new MarketConfigPO();
            if (!"s01".equals(source) || !"c01".equals(channel) || !"g1".equals(goodsId)) {
                return config;
            }
            config.setMappedActivityId(100L);
            GroupBuyActivityPO activity = new GroupBuyActivityPO();
            activity.setActivityId(100L);
            activity.setDiscountId("d1");
            activity.setTarget(3);
            activity.setValidTime(15);
            activity.setTakeLimitCount(1);
            activity.setStatus(1);
            activity.setGroupType(0);
            activity.setStartTime(Instant.parse("2026-01-01T00:00:00Z"));
            activity.setEndTime(Instant.parse("2027-01-01T00:00:00Z"));
            config.setActivity(activity);
            GroupBuyDiscountPO discount = new GroupBuyDiscountPO();
            discount.setDiscountId("d1");
            discount.setDiscountType(0);
            discount.setMarketPlan("ZJ");
            discount.setMarketExpr("20");
            config.setDiscount(discount);
            SkuPO sku = new SkuPO();
            sku.setGoodsId("g1");
            sku.setOriginalPrice(new BigDecimal("100.00"));
            config.setSku(sku);
            return config;
        }
    }
}
