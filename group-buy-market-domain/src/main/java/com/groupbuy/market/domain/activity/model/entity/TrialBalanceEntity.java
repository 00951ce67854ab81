package com.groupbuy.market.domain.activity.model.entity;

import java.math.BigDecimal;
import java.time.Instant;
import lombok.AllArgsConstructor;
import lombok.Builder;
import lombok.Data;
import lombok.NoArgsConstructor;

/**
 * The trial outcome: the price this user would pay and the activity rules a lock must honour. Lock uses it as
 * its only view of the activity context, so everything lock checks is here.
 */
@Data
@Builder
@NoArgsConstructor
@AllArgsConstructor
public class TrialBalanceEntity {

    /**
     * The instant the trial judged the activity's window at: a lock decides everything else at it (the team's window,
     * the start of the team it opens), so the activity and the team are judged at one reading of the clock.
     */
    private Instant judgedAt;

    private Long activityId;
    private String goodsId;
    private String goodsName;
    private BigDecimal originalPrice;
    private BigDecimal deductionPrice;
    private BigDecimal payPrice;

    /**
     * The activity's window, as configured. No status: a trial of an activity not effective answers E0101, so every
     * outcome is of an effective one.
     */
    private Instant activityStartTime;

    private Instant activityEndTime;
    /** Team size and team validity in minutes. */
    private Integer targetCount;

    private Integer validTimeMinutes;
    private Integer takeLimitCount;

    /** Whether this user may see the group price, and whether they may join (audience scope). */
    private boolean visible;

    private boolean enable;

    /** The deduction a user may be shown: none when the audience scope hides the group price from them. */
    public BigDecimal shownDeductionPrice() {
        return visible ? deductionPrice : BigDecimal.ZERO.setScale(2);
    }

    /** The price a user may be shown: the original when the audience scope hides the group price from them. */
    public BigDecimal shownPayPrice() {
        return visible ? payPrice : originalPrice;
    }
}
