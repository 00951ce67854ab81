package com.groupbuy.market.tag;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.groupbuy.market.domain.tag.model.valobj.TagImportResult;
import com.groupbuy.market.domain.tag.service.CrowdTagImportService;
import com.groupbuy.market.domain.tag.service.ITagMembershipService;
import com.groupbuy.market.infrastructure.tag.port.TagBitmap;
import com.groupbuy.market.support.IntegrationTest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.redisson.api.RedissonClient;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

/** The crowd-tag import against the real MariaDB and Redis: pages, idempotence, bit positions, unloaded tags. */
@IntegrationTest
@TestPropertySource(properties = "gbm.tag.import-batch-size=7")
@ExtendWith(OutputCaptureExtension.class)
class CrowdTagImportIT {

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    CrowdTagImportService importService;

    @Autowired
    ITagMembershipService membership;

    @Autowired
    TagBitmap bitmap;

    @Autowired
    RedissonClient redisson;

    CrowdTagFixture fixture;

    @BeforeEach
    void fixture() {
        fixture = new CrowdTagFixture(jdbc);
    }

    @Test
    void importLoadsEveryMemberInPagesAndMarksTheJobDone() {
        List<String> members = users("m", 25);
        fixture.tag("T-PAGES", members);

        TagImportResult result = importService.importMembers("b-T-PAGES");

        assertThat(result.members()).isEqualTo(25);
        assertThat(result.batches()).isEqualTo(4); // 7 + 7 + 7 + 4 with a page size of 7
        assertThat(redisson.getBitSet(bitmap.membersKey("T-PAGES")).cardinality())
                .isEqualTo(25);
        assertThat(fixture.statistics("T-PAGES")).isEqualTo(25);
        assertThat(fixture.jobStatus("b-T-PAGES")).isEqualTo(1);
        assertThat(members).allMatch(user -> membership.isMember("T-PAGES", "s01", "c01", user));
        assertThat(membership.isMember("T-PAGES", "s01", "c01", "not-a-member")).isFalse();
    }

    @Test
    void runningTheJobTwiceGivesTheSameMembersCountAndPositions() {
        List<String> members = users("r", 15);
        fixture.tag("T-TWICE", members);
        importService.importMembers("b-T-TWICE");
        List<Long> positionsBefore = positions();

        TagImportResult again = importService.importMembers("b-T-TWICE");

        assertThat(again.members()).isEqualTo(15);
        assertThat(fixture.statistics("T-TWICE")).isEqualTo(15);
        assertThat(fixture.jobStatus("b-T-TWICE")).isEqualTo(1);
        assertThat(redisson.getBitSet(bitmap.membersKey("T-TWICE")).cardinality())
                .isEqualTo(15);
        // No position is given twice and none is burnt by the re-run (the bitmaps stay dense).
        assertThat(positions()).isEqualTo(positionsBefore);
        assertThat(members).allMatch(user -> membership.isMember("T-TWICE", "s01", "c01", user));
    }

    @Test
    void aMemberRemovedFromTheDetailTableIsOutAfterTheNextRun() {
        fixture.tag("T-SHRINK", List.of("keep", "drop"));
        importService.importMembers("T-SHRINK");
        assertThat(membership.isMember("T-SHRINK", "s01", "c01", "drop")).isTrue();

        jdbc.update("DELETE FROM crowd_tags_detail WHERE tag_id = 'T-SHRINK' AND user_id = 'drop'");
        importService.importMembers("T-SHRINK");

        assertThat(membership.isMember("T-SHRINK", "s01", "c01", "keep")).isTrue();
        assertThat(membership.isMember("T-SHRINK", "s01", "c01", "drop")).isFalse();
        assertThat(fixture.statistics("T-SHRINK")).isEqualTo(1);
    }

    @Test
    void aTagWhoseMembersWereNeverLoadedAdmitsNobodyAndSaysWhy(CapturedOutput output) {
        fixture.tag("T-NEVER", List.of("listed-user"));
        fixture.tag("T-OTHER", List.of("listed-user"));
        importService.importMembers("T-OTHER"); // the user has a position, only T-NEVER is unloaded

        assertThat(membership.isMember("T-NEVER", "s01", "c01", "listed-user")).isFalse();
        assertThat(membership.isMember("T-OTHER", "s01", "c01", "listed-user")).isTrue();
        assertThat(output.getAll()).contains("WARN").contains("crowd tag T-NEVER has no loaded members");
    }

    @Test
    void aTagLoadedWithNoMembersAdmitsNobodyButIsLoaded() {
        fixture.tag("T-EMPTY", List.of());

        TagImportResult result = importService.importMembers("T-EMPTY");

        assertThat(result.members()).isZero();
        assertThat(bitmap.isLoaded("T-EMPTY")).isTrue();
        assertThat(fixture.jobStatus("b-T-EMPTY")).isEqualTo(1);
        assertThat(membership.isMember("T-EMPTY", "s01", "c01", "anyone")).isFalse();
    }

    @Test
    void twoDifferentUsersNeverShareABit() {
        // "Aa" and "BB" have the same String.hashCode: a hashed position would put them on one bit.
        List<String> users = new ArrayList<>(List.of("Aa", "BB", "AaAa", "BBBB", "AaBB", "BBAa"));
        users.addAll(users("c", 200));
        fixture.tag("T-ONE", List.of("Aa", "AaAa"));
        fixture.members("T-ALL", users);
        jdbc.update("INSERT INTO crowd_tags (tag_id, tag_name) VALUES ('T-ALL', 'all')");
        fixture.job("T-ALL", "b-T-ALL", 0);

        importService.importMembers("T-ALL");
        importService.importMembers("T-ONE");

        assertThat(new HashSet<>(positions())).hasSize(positions().size()).hasSizeGreaterThanOrEqualTo(users.size());
        assertThat(membership.isMember("T-ONE", "s01", "c01", "Aa")).isTrue();
        assertThat(membership.isMember("T-ONE", "s01", "c01", "BB")).isFalse();
        assertThat(membership.isMember("T-ONE", "s01", "c01", "BBBB")).isFalse();
        assertThat(redisson.getBitSet(bitmap.membersKey("T-ONE")).cardinality()).isEqualTo(2);
    }

    @Test
    void theParameterNamesABatchOrATagAndAnythingElseIsRefused() {
        fixture.tag("T-PARAM", List.of("p1"));
        fixture.job("T-PARAM", "b-newer", 0);
        fixture.job("T-PARAM", "b-dead", 2);

        TagImportResult byTag = importService.importMembers("T-PARAM");

        assertThat(byTag.batchId()).isEqualTo("b-newer"); // the newest job that is not abandoned
        assertThat(fixture.jobStatus("b-newer")).isEqualTo(1);
        assertThat(fixture.jobStatus("b-T-PARAM")).isZero();
        assertThatThrownBy(() -> importService.importMembers("b-dead")).hasMessageContaining("abandoned");
        assertThatThrownBy(() -> importService.importMembers("no-such")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> importService.importMembers(" ")).isInstanceOf(IllegalArgumentException.class);
    }

    private List<Long> positions() {
        return jdbc.queryForList("SELECT bit_index FROM crowd_user_index ORDER BY user_id", Long.class);
    }

    private static List<String> users(String prefix, int n) {
        return IntStream.rangeClosed(1, n).mapToObj(i -> prefix + "-user-" + i).toList();
    }
}
