package com.groupbuy.market.infrastructure.tag.repository;

import static org.assertj.core.api.Assertions.assertThat;

import com.groupbuy.market.domain.tag.model.valobj.PartnerUserVO;
import com.groupbuy.market.infrastructure.tag.dao.ICrowdUserIndexDao;
import com.groupbuy.market.infrastructure.tag.po.CrowdUserIndexPO;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The trial of a tag-bound activity looks up the caller's bit position, and the trial is unauthenticated: a hostile
 * caller can invent as many user ids as it likes. Users without a position must never push a tagged member's
 * position out of the cache (the member's every trial would read the table again); a position given later on this
 * node is still seen at once.
 */
class UserBitIndexFloodTest {

    /** Above the cache's bound (200 000), as a flood of invented users within one TTL would be. */
    private static final int HOSTILE_IDS = 300_000;

    private static final PartnerUserVO MEMBER = new PartnerUserVO("s01", "c01", "member");

    @Test
    void inventedUsersDoNotEvictAMembersPosition() {
        CountingDao dao = new CountingDao();
        UserBitIndexRepository repository = new UserBitIndexRepository(dao, Duration.ofSeconds(30));
        assertThat(repository.find(MEMBER)).isEqualTo(7L);

        for (int i = 0; i < HOSTILE_IDS; i++) {
            assertThat(repository.find(new PartnerUserVO("s01", "c01", "x" + i)))
                    .isNull();
        }
        PartnerUserVO last = new PartnerUserVO("s01", "c01", "x" + (HOSTILE_IDS - 1));
        assertThat(repository.find(last))
                .as("still cached as without a position")
                .isNull();
        assertThat(dao.reads(last.userId())).isEqualTo(1);

        assertThat(repository.find(MEMBER)).isEqualTo(7L);
        assertThat(dao.reads(MEMBER.userId()))
                .as("member's position read again")
                .isEqualTo(1);

        // A user cached as without a position who is then given one on this node is a member at once.
        PartnerUserVO tagged = new PartnerUserVO("s01", "c01", "x1");
        dao.positions.put(tagged.userId(), 9L);
        assertThat(repository.assign(List.of(tagged))).containsEntry(tagged, 9L);
        assertThat(repository.find(tagged)).isEqualTo(9L);
    }

    private static final class CountingDao implements ICrowdUserIndexDao {
        final Map<String, Long> positions = new ConcurrentHashMap<>(Map.of(MEMBER.userId(), 7L));
        private final Map<String, AtomicInteger> reads = new ConcurrentHashMap<>();

        int reads(String userId) {
            AtomicInteger n = reads.get(userId);
            return n == null ? 0 : n.get();
        }

        @Override
        public List<CrowdUserIndexPO> queryByUserIds(String source, String channel, Collection<String> userIds) {
            return userIds.stream()
                    .filter(positions::containsKey)
                    .map(id -> {
                        CrowdUserIndexPO po = new CrowdUserIndexPO();
                        po.setSource(source);
                        po.setChannel(channel);
                        po.setUserId(id);
                        po.setBitIndex(positions.get(id));
                        return po;
                    })
                    .toList();
        }

        @Override
        public Long queryByUser(String source, String channel, String userId) {
            reads.computeIfAbsent(userId, k -> new AtomicInteger()).incrementAndGet();
            return positions.get(userId);
        }

        @Override
        public int insertUnlessTaken(String source, String channel, Collection<String> userIds) {
            return 0;
        }
    }
}
