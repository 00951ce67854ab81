package com.groupbuy.market.domain.tag.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.groupbuy.market.domain.tag.adapter.port.ITagBitmap;
import com.groupbuy.market.domain.tag.adapter.repository.IUserBitIndexRepository;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The membership rule over in-memory ports: loaded member in, everyone else out, unloaded tag admits nobody. */
class TagMembershipServiceTest {

    private final Map<String, Long> positions = new HashMap<>(Map.of("alice", 1L, "bob", 2L));
    private final Map<String, Set<Long>> published = new HashMap<>();

    private final IUserBitIndexRepository bitIndex = new IUserBitIndexRepository() {
        @Override
        public Map<String, Long> assign(Collection<String> userIds) {
            throw new UnsupportedOperationException("a membership check never assigns positions");
        }

        @Override
        public Long find(String userId) {
            return positions.get(userId);
        }
    };

    private final ITagBitmap bitmap = new ITagBitmap() {
        @Override
        public void stage(String tagId, String runId, long[] p) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void publish(String tagId, String runId, String batchId) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean isLoaded(String tagId) {
            return published.containsKey(tagId);
        }

        @Override
        public boolean contains(String tagId, long position) {
            return published.getOrDefault(tagId, Set.of()).contains(position);
        }
    };

    private final TagMembershipService service = new TagMembershipService(bitIndex, bitmap);

    @Test
    void aLoadedMemberIsInAndAnotherUserIsOut() {
        published.put("VIP", new HashSet<>(Set.of(1L)));

        assertThat(service.isMember("VIP", "alice")).isTrue();
        assertThat(service.isMember("VIP", "bob")).isFalse();
    }

    @Test
    void aUserWithoutAPositionWasNeverTaggedAndIsOut() {
        published.put("VIP", new HashSet<>(Set.of(1L)));

        assertThat(service.isMember("VIP", "carol")).isFalse();
    }

    @Test
    void aTagNeverLoadedAdmitsNobody() {
        assertThat(service.isMember("NEVER", "alice")).isFalse();
        assertThat(service.isMember("NEVER", "carol")).isFalse();
    }

    @Test
    void membershipOfOneTagSaysNothingAboutAnother() {
        published.put("VIP", new HashSet<>(Set.of(1L)));
        published.put("NEW", new HashSet<>(Set.of(2L)));

        assertThat(service.isMember("NEW", "alice")).isFalse();
        assertThat(service.isMember("NEW", "bob")).isTrue();
    }
}
