package com.groupbuy.market.infrastructure.activity.repository;

import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import com.groupbuy.market.domain.activity.adapter.repository.IActivityRepository;
import com.groupbuy.market.domain.activity.model.valobj.ActivityStatus;
import com.groupbuy.market.domain.activity.model.valobj.ActivityVO;
import com.groupbuy.market.domain.activity.model.valobj.DiscountType;
import com.groupbuy.market.domain.activity.model.valobj.DiscountVO;
import com.groupbuy.market.domain.activity.model.valobj.GroupType;
import com.groupbuy.market.domain.activity.model.valobj.MarketConfigVO;
import com.groupbuy.market.domain.activity.model.valobj.SkuVO;
import com.groupbuy.market.domain.activity.model.valobj.TagScope;
import com.groupbuy.market.infrastructure.activity.dao.IMarketConfigDao;
import com.groupbuy.market.infrastructure.activity.po.GroupBuyActivityPO;
import com.groupbuy.market.infrastructure.activity.po.GroupBuyDiscountPO;
import com.groupbuy.market.infrastructure.activity.po.MarketConfigPO;
import com.groupbuy.market.infrastructure.activity.po.SkuPO;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Repository;

/**
 * Market configuration behind a short-lived in-process cache: the hot paths read memory, and a change in the
 * tables is seen within the TTL. Nothing empties the cache at once (the eviction that did had no caller, and a load in
 * flight would have stored the old configuration again after it). The cache holds one entry per source +
 * channel + goods: its mapping, activity, discount and goods read in one statement and kept and dropped together, so a
 * trial answers one reading of the tables, never rows cached at different times (an old list price with a new discount
 * sold a 200.00 goods for 0.01 until the list price expired too: {@code MarketConfigChangeIT}). Goods a partner has no
 * mapping for are cached too — but in a cache of their own: the trial is unauthenticated, and unknown ids sharing one
 * bounded cache with the configuration found pushed the real configuration out (a flood of unknown goods ids made
 * every partner's warm trial read the tables again).
 */
@Repository
public class ActivityRepository implements IActivityRepository {

    private final IMarketConfigDao dao;
    /** Configuration found: bounded by what operators configure, never by what callers ask for. */
    private final Cache<String, MarketConfigVO> found;
    /** Keys with no mapping: as many as callers invent, so bounded, and evicting only one another. */
    private final Cache<String, Boolean> absent;

    public ActivityRepository(IMarketConfigDao dao, @Qualifier("marketConfigCacheTtl") Duration ttl) {
        this.dao = dao;
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
    public MarketConfigVO queryMarketConfig(String source, String channel, String goodsId) {
        // Length-prefixed: a ':' inside one part must never make two partners' goods one key.
        String key = source.length() + ":" + source + ":" + channel.length() + ":" + channel + ":" + goodsId;
        if (absent.getIfPresent(key) != null) {
            return MarketConfigVO.UNMAPPED;
        }
        try {
            // No mapping fails the load (Guava caches no failure, and concurrent callers of the key share it), so
            // nothing a caller invents ever takes a place among the configuration found.
            return found.get(key, () -> {
                MarketConfigVO config = toConfig(dao.queryMarketConfig(source, channel, goodsId));
                if (config.mappedActivityId() == null) {
                    throw NotFound.INSTANCE;
                }
                return config;
            });
        } catch (ExecutionException e) {
            if (e.getCause() == NotFound.INSTANCE) {
                absent.put(key, Boolean.TRUE);
                return MarketConfigVO.UNMAPPED;
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

    private static MarketConfigVO toConfig(MarketConfigPO po) {
        return po == null
                ? MarketConfigVO.UNMAPPED
                : new MarketConfigVO(
                        po.getMappedActivityId(),
                        toActivity(po.getActivity()),
                        toDiscount(po.getDiscount()),
                        toSku(po.getSku()));
    }

    /** The stored codes are mapped here, once: {@code status} and {@code group_type} are NOT NULL columns (V1). */
    private static ActivityVO toActivity(GroupBuyActivityPO po) {
        if (po == null) {
            return null;
        }
        return ActivityVO.builder()
                .activityId(po.getActivityId())
                .activityName(po.getActivityName())
                .discountId(po.getDiscountId())
                .groupType(GroupType.fromCode(po.getGroupType()))
                .takeLimitCount(po.getTakeLimitCount())
                .target(po.getTarget())
                .validTimeMinutes(po.getValidTime())
                .status(ActivityStatus.fromCode(po.getStatus()))
                .startTime(po.getStartTime())
                .endTime(po.getEndTime())
                .tagId(po.getTagId())
                .tagScopes(TagScope.parse(po.getTagScope()))
                .unknownTagScope(TagScope.isKnownList(po.getTagScope()) ? null : po.getTagScope())
                .build();
    }

    /** {@code discount_type} is a NOT NULL column (V1); a code we do not know is kept for the trial's refusal to name. */
    private static DiscountVO toDiscount(GroupBuyDiscountPO po) {
        if (po == null) {
            return null;
        }
        DiscountType type = DiscountType.fromCode(po.getDiscountType());
        return DiscountVO.builder()
                .discountId(po.getDiscountId())
                .discountName(po.getDiscountName())
                .discountType(type)
                .unknownTypeCode(type.isKnown() ? null : po.getDiscountType())
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
