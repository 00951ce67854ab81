package com.groupbuy.market.domain.activity.service.trial;

import com.groupbuy.market.domain.activity.model.valobj.ActivityVO;
import com.groupbuy.market.domain.activity.model.valobj.DiscountVO;
import com.groupbuy.market.domain.activity.model.valobj.SkuVO;
import java.time.Instant;
import lombok.Getter;
import lombok.Setter;

/** What the trial's nodes learn on the way down the tree, for the nodes after them. One per trial, never shared. */
@Getter
@Setter
public class TrialContext {

    /** The one instant the trial judges at (the activity's window), read once; a lock decides everything else at it. */
    private Instant judgedAt;

    private ActivityVO activity;
    private DiscountVO discount;
    private SkuVO sku;
    /** Member of the activity's audience tag; true when the activity has none. */
    private boolean audienceMember = true;
    /** The discount applies to this user: a base discount, or a tag discount and the user is in its tag. */
    private boolean discounted = true;

    /** Whether anything in this activity depends on who the user is (an audience tag or a tag-only discount). */
    public boolean needsMembership() {
        return activity.getTagId() != null || discount.isTagOnly();
    }
}
