package com.groupbuy.market.domain.activity.service.trial;

import com.groupbuy.market.domain.activity.adapter.port.IMarketSwitches;
import com.groupbuy.market.domain.activity.adapter.repository.IActivityRepository;
import com.groupbuy.market.domain.activity.model.entity.MarketProductEntity;
import com.groupbuy.market.domain.activity.model.entity.TrialBalanceEntity;
import com.groupbuy.market.domain.activity.model.valobj.ActivityVO;
import com.groupbuy.market.domain.activity.model.valobj.DiscountVO;
import com.groupbuy.market.domain.activity.model.valobj.MarketSwitchesVO;
import com.groupbuy.market.domain.activity.model.valobj.SkuVO;
import com.groupbuy.market.domain.activity.model.valobj.TagScope;
import com.groupbuy.market.domain.activity.service.IIndexGroupBuyMarketService;
import com.groupbuy.market.domain.activity.service.discount.PriceCalculator;
import com.groupbuy.market.types.enums.ResponseCode;
import com.groupbuy.market.types.exception.AppException;
import lombok.extern.slf4j.Slf4j;
import org.springframework.stereotype.Service;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;

/**
 * The trial: switches, then the activity for the goods, then its state and window, then the price and audience.
 * Reads cached configuration only and writes nothing.
 */
@Slf4j
@Service
public class IndexGroupBuyMarketService implements IIndexGroupBuyMarketService {

    private final IActivityRepository repository;
    private final IMarketSwitches switches;
    private final Clock clock;

    public IndexGroupBuyMarketService(IActivityRepository repository, IMarketSwitches switches, Clock clock) {
        this.repository = repository;
        this.switches = switches;
        this.clock = clock;
    }

    @Override
    public TrialBalanceEntity indexMarketTrial(MarketProductEntity product) {
        MarketSwitchesVO current = switches.current();
        if (current.isDegrade()) {
            throw new AppException(ResponseCode.E0003);
        }
        if (!current.admits(product.getUserId())) {
            throw new AppException(ResponseCode.E0004);
        }

        ActivityVO activity = resolveActivity(product);
        SkuVO sku = repository.querySku(product.getGoodsId());
        DiscountVO discount = repository.queryDiscount(activity.getDiscountId());
        if (sku == null || discount == null) {
            throw new AppException(ResponseCode.E0002, "no group-buy configuration for goods " + product.getGoodsId());
        }
        if (!activity.isEffective()) {
            throw new AppException(ResponseCode.E0101);
        }
        if (!activity.isWithinWindow(Instant.now(clock))) {
            throw new AppException(ResponseCode.E0102);
        }

        boolean member = isMember(activity.getTagId(), product.getUserId());
        boolean discounted = !discount.isTagOnly() || isMember(discount.getTagId(), product.getUserId());
        BigDecimal original = sku.getOriginalPrice();
        BigDecimal pay = discounted
                ? PriceCalculator.payPrice(discount.getMarketPlan(), discount.getMarketExpr(), original)
                : original;

        return TrialBalanceEntity.builder()
                .activityId(activity.getActivityId())
                .goodsId(sku.getGoodsId())
                .goodsName(sku.getGoodsName())
                .originalPrice(original)
                .deductionPrice(original.subtract(pay))
                .payPrice(pay)
                .activityStatus(activity.getStatus())
                .activityStartTime(activity.getStartTime())
                .activityEndTime(activity.getEndTime())
                .targetCount(activity.getTarget())
                .validTimeMinutes(activity.getValidTimeMinutes())
                .takeLimitCount(activity.getTakeLimitCount())
                .visible(member || !activity.restricts(TagScope.VISIBLE))
                .enable(member || !activity.restricts(TagScope.ENABLE))
                .build();
    }

    private ActivityVO resolveActivity(MarketProductEntity product) {
        Long activityId = product.getActivityId() != null ? product.getActivityId()
                : repository.queryActivityIdBySourceChannelGoods(product.getSource(), product.getChannel(),
                product.getGoodsId());
        ActivityVO activity = activityId == null ? null : repository.queryActivity(activityId);
        if (activity == null) {
            throw new AppException(ResponseCode.E0002, "no group-buy configuration for goods " + product.getGoodsId());
        }
        return activity;
    }

    /**
     * Crowd-tag membership is not loaded yet (the tag import job is still to be built), and a tag whose members were
     * never loaded admits nobody: the original let everyone in, which leaked restricted prices.
     */
    private boolean isMember(String tagId, String userId) {
        if (tagId == null) {
            return true;
        }
        log.info("tag {} has no loaded members; user {} treated as a non-member", tagId, userId);
        return false;
    }
}
