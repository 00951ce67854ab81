package com.groupbuy.market.domain.activity.service.trial.node;

import com.groupbuy.market.domain.activity.model.entity.MarketProductEntity;
import com.groupbuy.market.domain.activity.model.entity.TrialBalanceEntity;
import com.groupbuy.market.domain.activity.model.valobj.ActivityVO;
import com.groupbuy.market.domain.activity.model.valobj.DiscountVO;
import com.groupbuy.market.domain.activity.model.valobj.TagScope;
import com.groupbuy.market.domain.activity.service.discount.PriceCalculator;
import com.groupbuy.market.domain.activity.service.trial.TrialContext;
import com.groupbuy.market.types.design.tree.RuleNode;
import java.math.BigDecimal;

/** The answer: the price this user pays and what the activity's tag scope lets them see and do. */
public class EndNode implements RuleNode<MarketProductEntity, TrialContext, TrialBalanceEntity> {

    @Override
    public TrialBalanceEntity apply(MarketProductEntity product, TrialContext context) {
        ActivityVO activity = context.getActivity();
        DiscountVO discount = context.getDiscount();
        BigDecimal original = context.getSku().getOriginalPrice();
        // A user the discount does not apply to pays the original price, whatever the plan says.
        BigDecimal pay = context.isDiscounted()
                ? PriceCalculator.payPrice(discount.getMarketPlan(), discount.getMarketExpr(), original)
                : original;
        boolean member = context.isAudienceMember();
        return TrialBalanceEntity.builder()
                .judgedAt(context.getJudgedAt())
                .activityId(activity.getActivityId())
                .goodsId(context.getSku().getGoodsId())
                .goodsName(context.getSku().getGoodsName())
                .originalPrice(original)
                .deductionPrice(original.subtract(pay))
                .payPrice(pay)
                .activityStartTime(activity.getStartTime())
                .activityEndTime(activity.getEndTime())
                .targetCount(activity.getTarget())
                .validTimeMinutes(activity.getValidTimeMinutes())
                .takeLimitCount(activity.getTakeLimitCount())
                .visible(member || !activity.restricts(TagScope.VISIBLE))
                .enable(member || !activity.restricts(TagScope.ENABLE))
                .build();
    }

    @Override
    public RuleNode<MarketProductEntity, TrialContext, TrialBalanceEntity> next(
            MarketProductEntity product, TrialContext context) {
        return null;
    }
}
