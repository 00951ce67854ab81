package com.groupbuy.market.domain.tag.model.valobj;

/** A member row of a tag; {@code id} is the row id the import pages by (keyset), not the user's bit index. */
public record TagMemberVO(long id, String userId) {}
