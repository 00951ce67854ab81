package com.groupbuy.market.domain.tag.model.valobj;

/**
 * A member row of a tag: the partner user it names; {@code id} is the row id the import pages by (keyset), not the
 * user's bit index. {@code source}/{@code channel} are null only on rows written before V16 (no partner named).
 */
public record TagMemberVO(long id, String source, String channel, String userId) {

    public boolean namesPartner() {
        return PartnerUserVO.namesPartner(source) && PartnerUserVO.namesPartner(channel);
    }

    public PartnerUserVO user() {
        return new PartnerUserVO(source, channel, userId);
    }
}
