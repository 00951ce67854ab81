package com.groupbuy.market.domain.activity.model.valobj;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;

/** What an activity's audience tag withholds from non-members: the group price itself, or joining a team. */
public enum TagScope {
    VISIBLE("1"),
    ENABLE("2");

    private final String code;

    TagScope(String code) {
        this.code = code;
    }

    /**
     * Whether every entry of the stored comma list is one we know ("1", "2"; spaces around an entry and empty entries
     * change nothing). An entry we do not know, such as 1 and 2 joined by a full-width comma, means a restriction the
     * operator asked for and {@link #parse} would drop: the activity then restricts no one.
     */
    public static boolean isKnownList(String stored) {
        if (stored == null) {
            return true;
        }
        for (String part : stored.split(",")) {
            String entry = part.trim();
            if (!entry.isEmpty() && Arrays.stream(values()).noneMatch(s -> s.code.equals(entry))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Parses the stored comma list ("1", "2", "1,2"); unknown entries are ignored (an audience tag with such a list is
     * refused by the trial: {@link #isKnownList}), empty means no restriction.
     */
    public static Set<TagScope> parse(String stored) {
        Set<TagScope> scopes = EnumSet.noneOf(TagScope.class);
        if (stored == null) {
            return scopes;
        }
        for (String part : stored.split(",")) {
            Arrays.stream(values()).filter(s -> s.code.equals(part.trim())).forEach(scopes::add);
        }
        return scopes;
    }
}
