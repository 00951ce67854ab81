package com.groupbuy.market.domain.tag.model.valobj;

/**
 * A user as a partner knows it: user ids are each partner's (source + channel) own namespace, so s01/c01's "u1" and
 * s02/c02's "u1" are two people. Tag membership and bit positions are keyed by all three, compared exactly (case and
 * trailing spaces count), never by the user id alone.
 */
public record PartnerUserVO(String source, String channel, String userId) {

    /** Whether {@code value} can name a partner a caller could be: the edge refuses a missing or blank source/channel. */
    public static boolean namesPartner(String value) {
        return value != null && !value.isBlank();
    }

    @Override
    public String toString() {
        return source + "/" + channel + "/" + userId;
    }
}
