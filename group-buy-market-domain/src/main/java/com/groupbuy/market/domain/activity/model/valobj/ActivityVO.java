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

    /**
     * The largest team an activity may ask for. A completed team's callback lists every member's trade number, up to
     * 99 bytes each (32 characters of three-byte UTF-8, quoted, a comma): 10,000 members make at most 990,040 bytes,
     * inside the 1 MiB a partner's web server commonly accepts (nginx's default) and far inside the task's MEDIUMTEXT
     * body (V17). Above it a team could fill but its callback be refused on delivery, or not stored at all.
     */
    public static final int MAX_TARGET = 10_000;

    private final Long activityId;
    private final String activityName;
    private final String discountId;
    private final GroupType groupType;
    private final Integer takeLimitCount;
    private final Integer target;
    private final Integer validTimeMinutes;
    private final ActivityStatus status;
    private final Instant startTime;
    private final Instant endTime;
    /** Audience tag; null means everyone. */
    private final String tagId;
    /** Restrictions that apply to non-members of the tag. */
    private final Set<TagScope> tagScopes;
    /** The stored scope list when it has an entry that is neither 1 nor 2 ({@link TagScope#isKnownList}), else null. */
    private final String unknownTagScope;

    public boolean isEffective() {
        return status != null && status.isEffective();
    }

    public boolean isWithinWindow(Instant now) {
        return !now.isBefore(startTime) && now.isBefore(endTime);
    }

    /** A team size one can be made of: at least one member, at most {@link #MAX_TARGET}. */
    public boolean hasTeamSize() {
        return target != null && target >= 1 && target <= MAX_TARGET;
    }

    public boolean restricts(TagScope scope) {
        return tagId != null && tagScopes.contains(scope);
    }
}
