package com.groupbuy.market.domain.activity.adapter.repository;

import com.groupbuy.market.domain.activity.model.valobj.ActivityVO;
import com.groupbuy.market.domain.activity.model.valobj.DiscountVO;
import com.groupbuy.market.domain.activity.model.valobj.SkuVO;
import java.util.concurrent.CompletableFuture;

/** Market configuration, read through an in-process cache: the trial and lock paths never hit these tables per call. */
public interface IActivityRepository {

    /** The activity a source + channel sells a goods through, or null. */
    Long queryActivityIdBySourceChannelGoods(String source, String channel, String goodsId);

    ActivityVO queryActivity(Long activityId);

    DiscountVO queryDiscount(String discountId);

    SkuVO querySku(String goodsId);

    /**
     * The sku loaded beside other reads: already complete when cached (no thread hop on the hot path), else
     * loading on a small bounded pool while the caller resolves the activity and its discount.
     */
    CompletableFuture<SkuVO> querySkuAsync(String goodsId);

    /** Drops every cached entry, so a configuration change is seen at once. */
    void evictCache();
}
