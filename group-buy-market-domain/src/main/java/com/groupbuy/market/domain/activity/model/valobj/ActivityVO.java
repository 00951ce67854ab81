package com.groupbuy.market.domain.activity.model.valobj;

import java.time.Instant;
import java.util.Set;
import lombok.AllArgsConstructor;
import lombok.Builder;
import lombok.Getter;

/** A group-buy activity as configured; immutable, so it can be cached and shared across requests. */
@Getter
@Builder
@AllArgsConstructor
public class ActivityVO {

    public static final int STATUS_EFFECTIVE = 1;

    private final Long activityId;
    private final String activityName;
    private final String discountId;
    private final Integer groupType;
    private final Integer takeLimitCount;
    private final Integer target;
    private final Integer validTimeMinutes;
    private final Integer status;
    private final Instant startTime;
    private final Instant endTime;
    /** Audience tag; null means everyone. */
    private final String tagId;
    /** Restrictions that apply to non-members of the tag. */
    private final Set<TagScope> tagScopes;
    /** The stored scope list when it has an entry that is neither 1 nor 2 ({@link TagScope#isKnownList}), else null. */
    private final String unknownTagScope;

    public boolean isEffective() {
        return status != null && status == STATUS_EFFECTIVE;
    }

    public boolean isWithinWindow(Instant now) {
        return !now.isBefore(startTime) && now.isBefore(endTime);
    }

    public boolean restricts(TagScope scope) {
        return tagId != null && tagScopes.contains(scope);
    }
}
