package com.groupbuy.market.infrastructure.activity.repository;

import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import com.groupbuy.market.domain.activity.adapter.repository.IActivityRepository;
import com.groupbuy.market.domain.activity.model.valobj.ActivityVO;
import com.groupbuy.market.domain.activity.model.valobj.DiscountVO;
import com.groupbuy.market.domain.activity.model.valobj.SkuVO;
import com.groupbuy.market.domain.activity.model.valobj.TagScope;
import com.groupbuy.market.infrastructure.activity.dao.IMarketConfigDao;
import com.groupbuy.market.infrastructure.activity.po.GroupBuyActivityPO;
import com.groupbuy.market.infrastructure.activity.po.GroupBuyDiscountPO;
import com.groupbuy.market.infrastructure.activity.po.SkuPO;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Repository;

/**
 * Market configuration behind a short-lived in-process cache: the hot paths read memory, and a change in the
 * tables is seen within the TTL (or at once after {@link #evictCache()}). Absent rows are cached too, so a flood of
 * requests for an unknown goods does not reach the database either — but in a cache of their own: the trial is
 * unauthenticated, and unknown ids sharing one bounded cache with the rows found pushed the real configuration out
 * (a flood of unknown goods ids made every partner's warm trial read the tables again).
 */
@Repository
public class ActivityRepository implements IActivityRepository {

    private final IMarketConfigDao dao;
    /** Rows found: bounded by what operators configure, never by what callers ask for. */
    private final Cache<String, Object> found;
    /** Keys found absent: as many as callers invent, so bounded, and evicting only one another. */
    private final Cache<String, Boolean> absent;

    private final Executor loader;

    public ActivityRepository(
            IMarketConfigDao dao,
            @Qualifier("marketConfigCacheTtl") Duration ttl,
            @Qualifier("marketConfigLoadExecutor") Executor loader) {
        this.dao = dao;
        this.loader = loader;
        this.found = CacheBuilder.newBuilder()
                .expireAfterWrite(ttl)
                .maximumSize(100_000)
                .build();
        this.absent = CacheBuilder.newBuilder()
                .expireAfterWrite(ttl)
                .maximumSize(100_000)
                .build();
    }

    @Override
    public Long queryActivityIdBySourceChannelGoods(String source, String channel, String goodsId) {
        return cached(
                // Length-prefixed: a ':' inside one part must never make two partners' mappings one key.
                "sc:" + source.length() + ":" + source + ":" + channel.length() + ":" + channel + ":" + goodsId,
                () -> dao.queryActivityIdBySourceChannelGoods(source, channel, goodsId));
    }

    @Override
    public ActivityVO queryActivity(Long activityId) {
        return cached("activity:" + activityId, () -> toActivity(dao.queryActivity(activityId)));
    }

    @Override
    public DiscountVO queryDiscount(String discountId) {
        return cached("discount:" + discountId, () -> toDiscount(dao.queryDiscount(discountId)));
    }

    @Override
    public SkuVO querySku(String goodsId) {
        return cached(skuKey(goodsId), () -> toSku(dao.querySku(goodsId)));
    }

    @Override
    @SuppressWarnings("unchecked")
    public CompletableFuture<SkuVO> querySkuAsync(String goodsId) {
        String key = skuKey(goodsId);
        Object cached = found.getIfPresent(key);
        if (cached != null || absent.getIfPresent(key) != null) {
            return CompletableFuture.completedFuture((SkuVO) cached);
        }
        return CompletableFuture.supplyAsync(() -> querySku(goodsId), loader);
    }

    @Override
    public void evictCache() {
        found.invalidateAll();
        absent.invalidateAll();
    }

    private static String skuKey(String goodsId) {
        return "sku:" + goodsId;
    }

    @SuppressWarnings("unchecked")
    private <T> T cached(String key, Callable<T> loader) {
        if (absent.getIfPresent(key) != null) {
            return null;
        }
        try {
            // A row not found fails the load (Guava caches no failure, and concurrent callers of the key share it),
            // so nothing absent ever takes a place among the rows found.
            return (T) found.get(key, () -> {
                T row = loader.call();
                if (row == null) {
                    throw NotFound.INSTANCE;
                }
                return row;
            });
        } catch (ExecutionException e) {
            if (e.getCause() == NotFound.INSTANCE) {
                absent.put(key, Boolean.TRUE);
                return null;
            }
            throw new IllegalStateException("cannot load market configuration " + key, e.getCause());
        }
    }

    /** The load's "no such row": checked, so Guava hands it back as the cause of an {@link ExecutionException}. */
    private static final class NotFound extends Exception {
        private static final NotFound INSTANCE = new NotFound();

        private NotFound() {
            super("no such row", null, false, false);
        }
    }

    private static ActivityVO toActivity(GroupBuyActivityPO po) {
        if (po == null) {
            return null;
        }
        return ActivityVO.builder()
                .activityId(po.getActivityId())
                .activityName(po.getActivityName())
                .discountId(po.getDiscountId())
                .groupType(po.getGroupType())
                .takeLimitCount(po.getTakeLimitCount())
                .target(po.getTarget())
                .validTimeMinutes(po.getValidTime())
                .status(po.getStatus())
                .startTime(po.getStartTime())
                .endTime(po.getEndTime())
                .tagId(po.getTagId())
                .tagScopes(TagScope.parse(po.getTagScope()))
                .unknownTagScope(TagScope.isKnownList(po.getTagScope()) ? null : po.getTagScope())
                .build();
    }

    private static DiscountVO toDiscount(GroupBuyDiscountPO po) {
        if (po == null) {
            return null;
        }
        return DiscountVO.builder()
                .discountId(po.getDiscountId())
                .discountName(po.getDiscountName())
                .discountType(po.getDiscountType())
                .marketPlan(po.getMarketPlan())
                .marketExpr(po.getMarketExpr())
                .tagId(po.getTagId())
                .build();
    }

    private static SkuVO toSku(SkuPO po) {
        return po == null
                ? null
                : SkuVO.builder()
                        .goodsId(po.getGoodsId())
                        .goodsName(po.getGoodsName())
                        .originalPrice(po.getOriginalPrice())
                        .build();
    }
}
