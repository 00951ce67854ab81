package com.groupbuy.market.domain.tag.service;

/** Whether a user belongs to a crowd tag; what other contexts ask before showing or granting a tag-only offer. */
public interface ITagMembershipService {

    /**
     * True only for a loaded member: the user {@code userId} of the partner {@code source} + {@code channel}, ids
     * compared exactly. Another partner's user with the same id is not a member; a tag whose members were never loaded
     * admits nobody.
     */
    boolean isMember(String tagId, String source, String channel, String userId);
}
