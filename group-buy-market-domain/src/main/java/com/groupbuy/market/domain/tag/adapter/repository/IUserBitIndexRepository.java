package com.groupbuy.market.domain.tag.adapter.repository;

import java.util.Collection;
import java.util.Map;

/**
 * The user → bit position every tag bitmap shares. A position is given once per user, never reused and never
 * shared (a unique user id and an auto-increment key in the database), so two users can never collide and
 * bitmaps stay as small as the number of users ever tagged.
 */
public interface IUserBitIndexRepository {

    /** The positions of these users, giving a new one to each user who has none yet. */
    Map<String, Long> assign(Collection<String> userIds);

    /** The position of a user, or null if the user was never in any imported tag. Never assigns one. */
    Long find(String userId);
}
