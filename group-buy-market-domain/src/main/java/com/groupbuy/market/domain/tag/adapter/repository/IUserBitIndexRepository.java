package com.groupbuy.market.domain.tag.adapter.repository;

import com.groupbuy.market.domain.tag.model.valobj.PartnerUserVO;
import java.util.Collection;
import java.util.Map;

/**
 * The partner user → bit position every tag bitmap shares. A position is given once per partner + exact user id,
 * never reused and never shared (a unique key on source, channel and user id and an auto-increment key in the
 * database), so two users — also two partners' users with the same id — can never collide, and bitmaps stay as small
 * as the number of partner users ever tagged.
 */
public interface IUserBitIndexRepository {

    /** The positions of these partner users, giving a new one to each that has none yet. */
    Map<PartnerUserVO, Long> assign(Collection<PartnerUserVO> users);

    /** The position of a partner user, or null if it was never in any imported tag. Never assigns one. */
    Long find(PartnerUserVO user);
}
