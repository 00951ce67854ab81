package com.groupbuy.market.domain.activity.service.trial.node;

import com.groupbuy.market.domain.activity.model.entity.MarketProductEntity;
import com.groupbuy.market.domain.activity.model.entity.TrialBalanceEntity;
import com.groupbuy.market.domain.activity.service.trial.TrialContext;
import com.groupbuy.market.domain.tag.service.ITagMembershipService;
import com.groupbuy.market.types.design.tree.RuleNode;
import java.util.Objects;

/**
 * Crowd-tag audience: is the user in the activity's tag (what they may see and join), and in the discount's tag
 * (whether a tag-only discount applies). The same tag is asked once. Membership is the calling partner's user's.
 */
public class TagNode implements RuleNode<MarketProductEntity, TrialContext, TrialBalanceEntity> {

    private final ITagMembershipService membership;
    private final RuleNode<MarketProductEntity, TrialContext, TrialBalanceEntity> end;

    public TagNode(
            ITagMembershipService membership, RuleNode<MarketProductEntity, TrialContext, TrialBalanceEntity> end) {
        this.membership = membership;
        this.end = end;
    }

    @Override
    public TrialBalanceEntity apply(MarketProductEntity product, TrialContext context) {
        String audienceTag = context.getActivity().getTagId();
        boolean audienceMember = memberOf(audienceTag, product);
        context.setAudienceMember(audienceMember);
        if (context.getDiscount().isTagOnly()) {
            String discountTag = context.getDiscount().getTagId();
            context.setDiscounted(
                    Objects.equals(discountTag, audienceTag) ? audienceMember : memberOf(discountTag, product));
        }
        return null;
    }

    @Override
    public RuleNode<MarketProductEntity, TrialContext, TrialBalanceEntity> next(
            MarketProductEntity product, TrialContext context) {
        return end;
    }

    /**
     * No tag means no restriction: an activity without an audience tag (a tag-only discount always names one: MarketNode
     * refuses one without). The caller's partner is asked with its user: a user id means a person only within its
     * partner (trial and lock alike).
     */
    private boolean memberOf(String tagId, MarketProductEntity product) {
        return tagId == null
                || membership.isMember(tagId, product.getSource(), product.getChannel(), product.getUserId());
    }
}
