package com.groupbuy.market.domain.tag.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.groupbuy.market.domain.support.OutageLog;
import com.groupbuy.market.domain.tag.adapter.port.ITagBitmap;
import com.groupbuy.market.domain.tag.adapter.repository.ICrowdTagRepository;
import com.groupbuy.market.domain.tag.adapter.repository.IUserBitIndexRepository;
import com.groupbuy.market.domain.tag.model.entity.CrowdTagJobEntity;
import com.groupbuy.market.domain.tag.model.valobj.PartnerUserVO;
import com.groupbuy.market.domain.tag.model.valobj.TagImportJobStatus;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
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

    /** The database's side of a lost tag: the tags an import of finished, and their member rows. */
    private final Set<String> imported = new HashSet<>();

    private final Set<String> memberRows = new HashSet<>();
    /** Rebuilds asked of the executor (never run here: the database answers meanwhile). */
    private final List<Runnable> rebuilds = new ArrayList<>();

    private final ICrowdTagRepository tags = (ICrowdTagRepository) Proxy.newProxyInstance(
            getClass().getClassLoader(), new Class<?>[] {ICrowdTagRepository.class}, (proxy, method, args) -> {
                String tagId = args == null ? null : (String) args[0];
                return switch (method.getName()) {
                    case "queryLatestDoneJobOfTag" ->
                        imported.contains(tagId)
                                ? CrowdTagJobEntity.builder()
                                        .tagId(tagId)
                                        .batchId("b-" + tagId)
                                        .status(TagImportJobStatus.DONE)
                                        .build()
                                : null;
                    case "hasMember" -> memberRows.contains(tagId + "/" + args[1]);
                    default -> throw new UnsupportedOperationException(method.getName());
                };
            });

    private TagMembershipService withRepair() {
        TagBitmapRepair repair = new TagBitmapRepair(
                tags,
                bitmap,
                new CrowdTagImportService(tags, bitIndex, bitmap, 100),
                rebuilds::add,
                Duration.ofMinutes(1),
                OutageLog.NONE);
        return new TagMembershipService(bitIndex, bitmap, repair);
    }

    /**
     * A tag imported (the database says so) whose bitmap Redis lost is answered from the member rows, this partner's
     * exact user, and rebuilt in the background, asked once. Found by mutation testing: nothing covered this path.
     */
    @Test
    void aTagImportedButLostByRedisIsAnsweredFromItsMemberRowsAndRebuiltOnce() {
        imported.add("LOST");
        memberRows.add("LOST/" + new PartnerUserVO(S, C, "alice"));
        memberRows.add("LOST/" + new PartnerUserVO(S, C, "carol"));
        TagMembershipService membership = withRepair();

        assertThat(membership.isMember("LOST", S, C, "alice")).isTrue();
        assertThat(membership.isMember("LOST", S, C, "bob")).isFalse();
        assertThat(membership.isMember("LOST", "s02", "c02", "alice")).isFalse();
        assertThat(membership.isMember("LOST", S, C, "carol"))
                .as("a member row, no position yet")
                .isTrue();
        assertThat(rebuilds).as("one rebuild asked, whatever the checks").hasSize(1);
    }

    /** A tag never imported is an operator's job not run, not a loss: nobody is in, nothing is rebuilt. */
    @Test
    void aTagNeverImportedAdmitsNobodyWhateverItsRowsSayAndIsNotRebuilt() {
        memberRows.add("NEVER/" + new PartnerUserVO(S, C, "alice"));
        TagMembershipService membership = withRepair();

        assertThat(membership.isMember("NEVER", S, C, "alice")).isFalse();
        assertThat(rebuilds).isEmpty();
    }

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
