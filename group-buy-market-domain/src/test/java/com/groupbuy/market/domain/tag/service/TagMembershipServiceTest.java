package com.groupbuy.market.domain.tag.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.groupbuy.market.domain.tag.adapter.port.ITagBitmap;
import com.groupbuy.market.domain.tag.adapter.repository.IUserBitIndexRepository;
import com.groupbuy.market.domain.tag.model.valobj.PartnerUserVO;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The membership rule over in-memory ports: loaded member in, everyone else out, unloaded tag admits nobody. */
class TagMembershipServiceTest {

    private static final String S = "s01";
    private static final String C = "c01";

    private final Map<PartnerUserVO, Long> positions = new HashMap<>(Map.of(
            new PartnerUserVO(S, C, "alice"), 1L,
            new PartnerUserVO(S, C, "bob"), 2L,
            new PartnerUserVO("s02", "c02", "alice"), 3L));
    private final Map<String, Set<Long>> published = new HashMap<>();
    /** Published by "another thread" right after the next bit read: an import or rebuild finishing between reads. */
    private final Map<String, Set<Long>> publishAfterNextBitRead = new HashMap<>();

    private final IUserBitIndexRepository bitIndex = new IUserBitIndexRepository() {
        @Override
        public Map<PartnerUserVO, Long> assign(Collection<PartnerUserVO> users) {
            throw new UnsupportedOperationException("a membership check never assigns positions");
        }

        @Override
        public Long find(PartnerUserVO user) {
            return positions.get(user);
        }
    };

    private final ITagBitmap bitmap = new ITagBitmap() {
        @Override
        public void stage(String tagId, String runId, long[] p) {
            throw new UnsupportedOperationException();
        }

        @Override
        public long beginRun(String tagId) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean publishedAfter(String tagId, long run) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Publish publish(String tagId, String runId, String batchId, long members, long run) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean isLoaded(String tagId) {
            return published.containsKey(tagId);
        }

        @Override
        public boolean contains(String tagId, long position) {
            boolean bit = published.getOrDefault(tagId, Set.of()).contains(position);
            published.putAll(publishAfterNextBitRead);
            publishAfterNextBitRead.clear();
            return bit;
        }
    };

    private final TagMembershipService service = new TagMembershipService(bitIndex, bitmap);

    @Test
    void aLoadedMemberIsInAndAnotherUserIsOut() {
        published.put("VIP", new HashSet<>(Set.of(1L)));

        assertThat(service.isMember("VIP", S, C, "alice")).isTrue();
        assertThat(service.isMember("VIP", S, C, "bob")).isFalse();
    }

    @Test
    void aUserWithoutAPositionWasNeverTaggedAndIsOut() {
        published.put("VIP", new HashSet<>(Set.of(1L)));

        assertThat(service.isMember("VIP", S, C, "carol")).isFalse();
    }

    @Test
    void aMemberWhoseTagIsPublishedBetweenTheBitReadAndTheLoadedReadIsIn() {
        // The bit was read before the bitmap existed, the loaded mark after it was published: the bit is asked again.
        publishAfterNextBitRead.put("VIP", new HashSet<>(Set.of(1L)));

        assertThat(service.isMember("VIP", S, C, "alice")).isTrue();
        assertThat(service.isMember("VIP", S, C, "bob")).isFalse();
    }

    @Test
    void aTagNeverLoadedAdmitsNobody() {
        assertThat(service.isMember("NEVER", S, C, "alice")).isFalse();
        assertThat(service.isMember("NEVER", S, C, "carol")).isFalse();
    }

    @Test
    void membershipOfOneTagSaysNothingAboutAnother() {
        published.put("VIP", new HashSet<>(Set.of(1L)));
        published.put("NEW", new HashSet<>(Set.of(2L)));

        assertThat(service.isMember("NEW", S, C, "alice")).isFalse();
        assertThat(service.isMember("NEW", S, C, "bob")).isTrue();
    }

    @Test
    void anotherPartnersUserWithTheSameIdIsNotAMember() {
        published.put("VIP", new HashSet<>(Set.of(1L))); // s01/c01's alice

        assertThat(service.isMember("VIP", S, C, "alice")).isTrue();
        assertThat(service.isMember("VIP", "s02", "c02", "alice")).isFalse();
        assertThat(service.isMember("VIP", "s01", "c02", "alice")).isFalse();
        assertThat(service.isMember("VIP", S, C, "alice ")).isFalse();
        assertThat(service.isMember("VIP", S, C, "Alice")).isFalse();
    }
}
