package com.groupbuy.market.tag;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.groupbuy.market.domain.tag.adapter.repository.ICrowdTagRepository;
import com.groupbuy.market.domain.tag.adapter.repository.IUserBitIndexRepository;
import com.groupbuy.market.domain.tag.service.CrowdTagImportService;
import com.groupbuy.market.domain.tag.service.ITagMembershipService;
import com.groupbuy.market.infrastructure.tag.port.TagBitmap;
import com.groupbuy.market.support.IntegrationTest;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Two runs of one tag at once: the scheduled import is still paging when the operator deletes a member's row and runs
 * the tag from the console. On main the run that finished last published, whichever began first: the scheduled run,
 * which had read the deleted member, published after the console's run, so the member the operator took out was a
 * member again and the count recorded was the older run's. Now the run begun later stands and the older one is neither
 * recorded nor published (it fails, saying why). Real MariaDB and Redis; the console's run is made to happen at the
 * scheduled run's read of its last page.
 */
@IntegrationTest
class TagImportOverlapIT {

    private static final String TAG = "OV-TAG";

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    ICrowdTagRepository tags;

    @Autowired
    IUserBitIndexRepository bitIndex;

    @Autowired
    TagBitmap bitmap;

    @Autowired
    CrowdTagImportService importService;

    @Autowired
    ITagMembershipService membership;

    @Test
    void aRunBegunEarlierDoesNotPublishOverTheMembersOfARunBegunLater() {
        CrowdTagFixture fixture = new CrowdTagFixture(jdbc);
        fixture.tag(TAG, List.of("u1", "u2", "u3"));

        AtomicBoolean consoleRan = new AtomicBoolean();
        ICrowdTagRepository overlapped = HookedTagRepository.hooked(
                tags,
                (method, afterId) -> method.equals("queryMembers") && afterId > 0,
                () -> {
                    jdbc.update("DELETE FROM crowd_tags_detail WHERE tag_id = ? AND user_id = 'u3'", TAG);
                    assertThat(importService.importMembers(TAG).members()).isEqualTo(2);
                },
                consoleRan);

        // Pages of 3: the first holds u1..u3; the console's run happens before the (empty) second is read.
        assertThatThrownBy(() -> new CrowdTagImportService(overlapped, bitIndex, bitmap, 3).importMembers(TAG))
                .as("the scheduled run, begun before the console's")
                .hasMessageContaining("a run of the tag begun after this one published first");
        assertThat(consoleRan).isTrue();

        assertThat(membership.isMember(TAG, "s01", "c01", "u3"))
                .as("u3, whose row was deleted before the console's run")
                .isFalse();
        assertThat(membership.isMember(TAG, "s01", "c01", "u1")).isTrue();
        assertThat(membership.isMember(TAG, "s01", "c01", "u2")).isTrue();
        assertThat(fixture.statistics(TAG)).as("the console run's count").isEqualTo(2);

        // A run begun after both publishes as always.
        assertThat(importService.importMembers(TAG).members()).isEqualTo(2);
        assertThat(membership.isMember(TAG, "s01", "c01", "u3")).isFalse();
    }
}
