package com.groupbuy.market.tag;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.groupbuy.market.domain.tag.adapter.repository.ICrowdTagRepository;
import com.groupbuy.market.domain.tag.service.CrowdTagImportService;
import com.groupbuy.market.support.SharedContextIntegrationTest;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Two runs of one tag at once: the scheduled import is still paging when the operator deletes a member's row and runs
 * the tag from the console. On main the run that finished last published, whichever began first: the scheduled run,
 * which had read the deleted member, published after the console's run, so the member the operator took out was a
 * member again and the count recorded was the older run's. Now the run begun later stands and the older one is neither
 * recorded nor published (it fails, saying why). Real MariaDB and Redis; the console's run is made to happen at the
 * scheduled run's read of its last page.
 */
@SharedContextIntegrationTest
class TagImportOverlapIT extends HookedTagImports {

    private static final String TAG = "OV-TAG";

    @Autowired
    CrowdTagImportService importService;

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
        assertThatThrownBy(() -> importOver(overlapped, 3).importMembers(TAG))
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

    /**
     * An operator abandons the job ({@code status = 2}) while its run pages. On main the run recorded it done on
     * finishing, so the abandon was undone without a word (the job ran again on its schedule) and the run's members
     * published. The abandon now stands: the run records nothing, publishes nothing and fails saying so; the members
     * live before stay.
     */
    @Test
    void aJobAbandonedWhileItRunsStaysAbandonedAndItsRunPublishesNothing() {
        String tag = "OV-ABANDON";
        String batch = "b-" + tag;
        CrowdTagFixture fixture = new CrowdTagFixture(jdbc);
        fixture.tag(tag, List.of("u1", "u2"));
        assertThat(importService.importMembers(tag).members()).isEqualTo(2);
        fixture.members(tag, List.of("u3"));

        AtomicBoolean abandoned = new AtomicBoolean();
        ICrowdTagRepository abandoning = HookedTagRepository.hooked(
                tags,
                (method, afterId) -> method.equals("finishJob"),
                () -> jdbc.update("UPDATE crowd_tags_job SET status = 2 WHERE batch_id = ?", batch),
                abandoned);

        assertThatThrownBy(() -> importOver(abandoning, 3).importMembers(batch))
                .hasMessageContaining("abandoned while it ran");
        assertThat(abandoned).isTrue();
        assertThat(fixture.jobStatus(batch)).as("the operator's abandon").isEqualTo(2);
        assertThat(fixture.statistics(tag)).as("the last finished run's count").isEqualTo(2);
        assertThat(membership.isMember(tag, "s01", "c01", "u3"))
                .as("u3, read only by the abandoned run")
                .isFalse();
        assertThat(membership.isMember(tag, "s01", "c01", "u1")).isTrue();
    }
}
