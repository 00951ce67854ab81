package com.groupbuy.market.tag;

import static org.assertj.core.api.Assertions.assertThat;

import com.groupbuy.market.domain.tag.service.CrowdTagImportService;
import com.groupbuy.market.domain.tag.service.ITagMembershipService;
import com.groupbuy.market.infrastructure.tag.port.TagBitmap;
import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.RedisClusterMode;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Tag ids are the operators' and may hold braces, while a tag's keys carry the id as their cluster hash tag
 * ({@code {<tag>}}). On the real Redis Cluster (7101-7103): a tag id starting with a closing brace emptied that hash
 * tag, so the staging, live and loaded keys hashed whole into different slots and the import's publish script failed
 * with CROSSSLOT (the tag could never be loaded: it admitted nobody). The id's braces are escaped in the keys now, as
 * the rate limiter's bucket names are, and such tags load and answer like any other; two ids that differ only in a
 * brace and its escape stay two tags.
 */
@IntegrationTest
@RedisClusterMode
class ClusterTagIdBracesIT {

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    CrowdTagImportService importService;

    @Autowired
    ITagMembershipService membership;

    @Autowired
    TagBitmap bitmap;

    @Test
    void tagIdsWithBracesLoadOnAClusterAndEachAnswersOnlyForItsOwnMembers() {
        CrowdTagFixture tags = new CrowdTagFixture(jdbc);
        tags.tag("}VIP", "s01", "c01", List.of("u1"));
        tags.tag("V{I}P", "s01", "c01", List.of("u2"));
        tags.tag("V%7BI%7DP", "s01", "c01", List.of("u3"));

        assertThat(importService.importMembers("b-}VIP").members()).isEqualTo(1);
        assertThat(importService.importMembers("b-V{I}P").members()).isEqualTo(1);
        assertThat(importService.importMembers("b-V%7BI%7DP").members()).isEqualTo(1);

        assertThat(bitmap.isLoaded("}VIP")).isTrue();
        assertThat(membership.isMember("}VIP", "s01", "c01", "u1")).isTrue();
        assertThat(membership.isMember("}VIP", "s01", "c01", "u2")).isFalse();
        assertThat(membership.isMember("V{I}P", "s01", "c01", "u2")).isTrue();
        assertThat(membership.isMember("V{I}P", "s01", "c01", "u3"))
                .as("the escape of V{I}P is another tag's id")
                .isFalse();
        assertThat(membership.isMember("V%7BI%7DP", "s01", "c01", "u3")).isTrue();
        assertThat(membership.isMember("V%7BI%7DP", "s01", "c01", "u2")).isFalse();
        assertThat(bitmap.membersKey("}VIP")).contains("{%7DVIP}").doesNotContain("{}");
    }
}
