package com.groupbuy.market.domain.activity.service.trial.node;

import com.groupbuy.market.domain.activity.adapter.repository.IActivityRepository;
import com.groupbuy.market.domain.activity.model.entity.MarketProductEntity;
import com.groupbuy.market.domain.activity.model.entity.TrialBalanceEntity;
import com.groupbuy.market.domain.activity.model.valobj.ActivityVO;
import com.groupbuy.market.domain.activity.model.valobj.DiscountVO;
import com.groupbuy.market.domain.activity.model.valobj.MarketConfigVO;
import com.groupbuy.market.domain.activity.model.valobj.SkuVO;
import com.groupbuy.market.domain.activity.service.trial.TrialContext;
import com.groupbuy.market.types.design.tree.RuleNode;
import com.groupbuy.market.types.enums.ResponseCode;
import com.groupbuy.market.types.exception.AppException;
import java.time.Clock;
import java.time.Instant;

/**
 * The market configuration for the goods (activity, discount, sku) and whether the activity is on now. The activity
 * is always the one {@code sc_sku_activity} maps the caller's source + channel + goods to; a lock naming an activity
 * must name that one, so no partner locks through an activity it does not sell. Each refusal (E0002) says what is
 * unknown: the goods, the mapping, the activity, or its discount; a named activity other than the mapped one is refused
 * alike whether it exists or not, as is a goods the partner has no mapping for. The mapping, activity, discount and
 * goods are one reading ({@link MarketConfigVO}); then routes to the audience check only when something in the
 * activity depends on who the user is.
 */
public class MarketNode implements RuleNode<MarketProductEntity, TrialContext, TrialBalanceEntity> {

    private final IActivityRepository repository;
    private final Clock clock;
    private final RuleNode<MarketProductEntity, TrialContext, TrialBalanceEntity> tag;
    private final RuleNode<MarketProductEntity, TrialContext, TrialBalanceEntity> end;

    public MarketNode(
            IActivityRepository repository,
            Clock clock,
            RuleNode<MarketProductEntity, TrialContext, TrialBalanceEntity> tag,
            RuleNode<MarketProductEntity, TrialContext, TrialBalanceEntity> end) {
        this.repository = repository;
        this.clock = clock;
        this.tag = tag;
        this.end = end;
    }

    @Override
    public TrialBalanceEntity apply(MarketProductEntity product, TrialContext context) {
        // One reading of the mapping, activity, discount and goods: rows read (or cached) at different times priced a
        // goods with its old list price and its new discount (a 200.00 goods sold for 0.01), a mix no operator wrote.
        MarketConfigVO config =
                repository.queryMarketConfig(product.getSource(), product.getChannel(), product.getGoodsId());
        Long mapped = config.mappedActivityId();
        ActivityVO activity = config.activity();
        DiscountVO discount = config.discount();
        SkuVO goods = config.sku();
        // The partner's mapping first: a goods this partner does not sell is answered alike whether it exists or not
        // (goods ids are global; one sold only through another partner is not this partner's to learn of).
        if (mapped == null) {
            throw unknown("goods " + product.getGoodsId() + " has no group-buy activity through source "
                    + product.getSource() + " channel " + product.getChannel());
        }
        if (goods == null) {
            throw unknown("unknown goods " + product.getGoodsId());
        }
        if (product.getActivityId() != null && !product.getActivityId().equals(mapped)) {
            // One answer whether the named activity exists or not: an activity this partner does not sell through
            // may be another partner's, and whether it exists is not this partner's to learn (no existence oracle).
            throw unknown("activity " + product.getActivityId() + " is not the group-buy activity of goods "
                    + product.getGoodsId() + " through source " + product.getSource() + " channel "
                    + product.getChannel());
        }
        if (activity == null) {
            throw unknown("unknown activity " + mapped);
        }
        if (discount == null) {
            throw unknown("activity " + mapped + " names discount " + activity.getDiscountId() + ", which is unknown");
        }
        // Any other type used to count as a base discount: a mistyped "members only" gave everyone the group price.
        if (!discount.isKnownType()) {
            throw unknown("discount " + discount.getDiscountId() + " has type " + discount.getUnknownTypeCode()
                    + " (0 for everyone, 1 for members of its tag)");
        }
        // A members-only discount naming no tag was given to everyone (no tag restricts no one): the price the operator
        // meant for a tag's members sold to the public. A blank tag is no tag either, only one nobody is a member of.
        if (discount.isTagOnly() && !discount.namesTag()) {
            throw unknown("discount " + discount.getDiscountId() + " is for members of its tag (type 1) but names "
                    + (discount.getTagId() == null ? "no tag" : "a blank tag '" + discount.getTagId() + "'"));
        }
        // The other way round: a discount for everyone naming a tag never asks it, so every buyer paid the price
        // written for the tag's members. The type defaults to 0, so a members-only discount inserted without it is
        // such a row; which one the operator meant cannot be told, so neither is guessed.
        if (!discount.isTagOnly() && discount.namesTag()) {
            throw unknown("discount " + discount.getDiscountId() + " is for everyone (type 0) but names tag '"
                    + discount.getTagId() + "' (type 1 prices that tag's members only)");
        }
        if (!activity.isEffective()) {
            throw new AppException(ResponseCode.E0101);
        }
        // Read once, after the configuration (a cache miss reads the database): the lock decides everything else at
        // this instant too (the team's window, the start of the team it opens), never at a reading from before it.
        Instant now = Instant.now(clock);
        context.setJudgedAt(now);
        if (!activity.isWithinWindow(now)) {
            throw new AppException(ResponseCode.E0102);
        }
        // Values no team or price can be made of: refused by name rather than opening a team over its target, a
        // team already past its end, refusing every buyer's lock, or selling for nothing (or less).
        if (!activity.hasTeamSize()) {
            throw unknown("activity " + mapped + " has target " + activity.getTarget() + " (a team has 1 to "
                    + ActivityVO.MAX_TARGET + " members)");
        }
        if (activity.getValidTimeMinutes() == null || activity.getValidTimeMinutes() < 1) {
            throw unknown("activity " + mapped + " has teams valid for " + activity.getValidTimeMinutes()
                    + " minutes (at least 1)");
        }
        // An audience tag's scope with an entry we do not know would restrict no one (parse drops it): the price the
        // operator meant to hide would be shown and the team they meant to close joined. Refused rather than open.
        if (activity.getTagId() != null && activity.getUnknownTagScope() != null) {
            throw unknown("activity " + mapped + " has tag scope '" + activity.getUnknownTagScope()
                    + "' (a comma list of 1, non-members do not see the group price, and 2, non-members may not join)");
        }
        // A take limit below 1 admits no buyer: every lock would answer "limit reached" to buyers who took nothing.
        if (activity.getTakeLimitCount() == null || activity.getTakeLimitCount() < 1) {
            throw unknown("activity " + mapped + " has take limit " + activity.getTakeLimitCount()
                    + " (a buyer needs at least 1 take)");
        }
        if (goods.getOriginalPrice() == null || goods.getOriginalPrice().signum() <= 0) {
            throw unknown("goods " + product.getGoodsId() + " has original price " + goods.getOriginalPrice()
                    + " (must be above 0)");
        }
        context.setActivity(activity);
        context.setDiscount(discount);
        context.setSku(goods);
        return null;
    }

    @Override
    public RuleNode<MarketProductEntity, TrialContext, TrialBalanceEntity> next(
            MarketProductEntity product, TrialContext context) {
        return context.needsMembership() ? tag : end;
    }

    private static AppException unknown(String what) {
        return new AppException(ResponseCode.E0002, "no group-buy configuration: " + what);
    }
}
