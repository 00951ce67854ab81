package com.groupbuy.market.trade;

import static org.assertj.core.api.Assertions.assertThat;

import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.RunsAlone;
import com.groupbuy.market.support.TradeClient;
import org.junit.jupiter.api.Test;
import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The place scripts are sent by SHA (#19): a Redis that lost its script cache ({@code SCRIPT FLUSH} here; a restart
 * does the same) answers the next call {@code NOSCRIPT}, and that lock must still succeed, take exactly its place and
 * refuse a full team. Every lock of this test runs right after a flush of the real Redis (every master in cluster
 * mode). It runs alone: the flush empties the shared server's cache under every other class's scripts (CI saw one
 * lock of another class, loaded again after one flush, meet the next and answer 0001).
 */
@IntegrationTest
@RunsAlone
class ScriptFlushLockIT {

    private static final String MARKER_SCRIPT = "return 'script-flush-marker'";

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    RedissonClient redisson;

    @Autowired
    TeamCounts counts;

    @Test
    void everyLockRightAfterAScriptFlushSucceedsAndCountsItsPlace() throws Exception {
        TradeClient mall = TradeClient.onNewGoods(port, jdbc, 19_500, "http://127.0.0.1:1/cb");

        flushScripts();
        String opened = mall.lock("flush-1", "").path("data").path("teamId").asText();
        flushScripts();
        String joined = mall.lock("flush-2", opened).path("code").asText();
        flushScripts();
        String filled = mall.lock("flush-3", opened).path("code").asText();
        flushScripts();
        String refused = mall.lock("flush-4", opened).path("code").asText();
        flushScripts();
        String released = mall.refund("flush-2").path("code").asText();
        flushScripts();
        String rejoined = mall.lock("flush-5", opened).path("code").asText();

        assertThat(opened).matches("\\d{8}");
        assertThat(joined).isEqualTo("0000");
        assertThat(filled).isEqualTo("0000");
        assertThat(refused).as("the team of 3 is full").isEqualTo("E0006");
        assertThat(released).isEqualTo("0000");
        assertThat(rejoined).as("the refunded place is free again").isEqualTo("0000");
        assertThat(counts.lockCount(opened)).isEqualTo(3);
        assertThat(counts.redisPlaces(opened)).isEqualTo(3);
    }

    /** Flushes and proves it did: a script loaded just before is gone from every node afterwards. */
    private void flushScripts() {
        RScript scripts = redisson.getScript(StringCodec.INSTANCE);
        String marker = scripts.scriptLoad(MARKER_SCRIPT);
        assertThat(scripts.scriptExists(marker)).containsOnly(true);
        scripts.scriptFlush();
        assertThat(scripts.scriptExists(marker)).containsOnly(false);
    }
}
