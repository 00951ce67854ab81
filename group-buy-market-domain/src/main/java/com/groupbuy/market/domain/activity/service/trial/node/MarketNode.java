package com.groupbuy.market.domain.activity.service.trial.node;

import com.groupbuy.market.domain.activity.adapter.repository.IActivityRepository;
import com.groupbuy.market.domain.activity.model.entity.MarketProductEntity;
import com.groupbuy.market.domain.activity.model.entity.TrialBalanceEntity;
import com.groupbuy.market.domain.activity.model.valobj.ActivityVO;
import com.groupbuy.market.domain.activity.model.valobj.DiscountVO;
import com.groupbuy.market.domain.activity.model.valobj.SkuVO;
import com.groupbuy.market.domain.activity.service.trial.TrialContext;
import com.groupbuy.market.types.design.tree.RuleNode;
import com.groupbuy.market.types.enums.ResponseCode;
import com.groupbuy.market.types.exception.AppException;

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The market configuration for the goods (activity, discount, sku) and whether the activity is on now. The sku
 * does not depend on the activity, so it loads beside the activity → discount chain; then routes to the audience
 * check only when something in the activity depends on who the user is.
 */
public class MarketNode implements RuleNode<MarketProductEntity, TrialContext, TrialBalanceEntity> {

    private final IActivityRepository repository;
    private final Clock clock;
    private final RuleNode<MarketProductEntity, TrialContext, TrialBalanceEntity> tag;
    private final RuleNode<MarketProductEntity, TrialContext, TrialBalanceEntity> end;

    public MarketNode(IActivityRepository repository, Clock clock,
                      RuleNode<MarketProductEntity, TrialContext, TrialBalanceEntity> tag,
                      RuleNode<MarketProductEntity, TrialContext, TrialBalanceEntity> end) {
        this.repository = repository;
        this.clock = clock;
        this.tag = tag;
        this.end = end;
    }

    @Override
    public TrialBalanceEntity apply(MarketProductEntity product, TrialContext context) {
        CompletableFuture<SkuVO> sku = repository.querySkuAsync(product.getGoodsId());
        ActivityVO activity = resolveActivity(product);
        DiscountVO discount = repository.queryDiscount(activity.getDiscountId());
        SkuVO goods = join(sku);
        if (goods == null || discount == null) {
            throw noConfiguration(product);
        }
        if (!activity.isEffective()) {
            throw new AppException(ResponseCode.E0101);
        }
        if (!activity.isWithinWindow(Instant.now(clock))) {
            throw new AppException(ResponseCode.E0102);
        }
        context.setActivity(activity);
        context.setDiscount(discount);
        context.setSku(goods);
        return null;
    }

    @Override
    public RuleNode<MarketProductEntity, TrialContext, TrialBalanceEntity> next(MarketProductEntity product,
                                                                                TrialContext context) {
        return context.needsMembership() ? tag : end;
    }

    private ActivityVO resolveActivity(MarketProductEntity product) {
        Long activityId = product.getActivityId() != null ? product.getActivityId()
                : repository.queryActivityIdBySourceChannelGoods(product.getSource(), product.getChannel(),
                product.getGoodsId());
        ActivityVO activity = activityId == null ? null : repository.queryActivity(activityId);
        if (activity == null) {
            throw noConfiguration(product);
        }
        return activity;
    }

    private static SkuVO join(CompletableFuture<SkuVO> sku) {
        try {
            return sku.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }

    private static AppException noConfiguration(MarketProductEntity product) {
        return new AppException(ResponseCode.E0002, "no group-buy configuration for goods " + product.getGoodsId());
    }
}
