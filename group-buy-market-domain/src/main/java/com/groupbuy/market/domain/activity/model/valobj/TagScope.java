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

    /** Parses the stored comma list ("1", "2", "1,2"); unknown entries are ignored, empty means no restriction. */
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
