package com.groupbuy.market.trade;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.groupbuy.market.infrastructure.trade.repository.LockGroupCommit;
import com.groupbuy.market.infrastructure.trade.repository.LockGroupCommitQueue;
import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.LockGroupCommitCheck;
import com.groupbuy.market.support.ProxiedDatabase;
import com.groupbuy.market.support.RowLockHolder;
import com.groupbuy.market.support.TcpProxy;
import com.groupbuy.market.support.TradeClient;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.TestPropertySource;

/**
 * Pipelined lock writers ({@code gbm.lock.group-commit.writers=2}; the default is 1): a batch's statements are written
 * on a second connection while the batch before it commits. Here the second batch's join waits on the team row the
 * first batch took, so its statements run exactly while the first commits, and the answers of both commits are lost
 * (both committed). Each lock is answered its order, once; the team holds one row and one place per lock, in the
 * database and in Redis, never more than its target. Both batches go through the one read back of {@code
 * LockBatchWriter} ({@code UnknownCommits}); this fails if the pipelined path ever commits without it (a lost answer
 * then rewrites the batch lock by lock, which meets its own rows and gives their Redis places back).
 */
@IntegrationTest
@ContextConfiguration(initializers = ProxiedDatabase.class)
@TestPropertySource(properties = {"gbm.lock.group-commit.enabled=true", "gbm.lock.group-commit.writers=2"})
@ExtendWith(LockGroupCommitCheck.class)
class PipelinedLockCommitLostIT {

    private static final TcpProxy PROXY = ProxiedDatabase.PROXY;

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    DataSource dataSource;

    @Autowired
    TeamCounts counts;

    @Autowired
    LockGroupCommit groupCommit;

    @Test
    void twoPipelinedBatchesWhoseCommitAnswersAreLostAreAnsweredTheirOrdersOnce() throws Exception {
        assertThat(Thread.getAllStackTraces().keySet().stream().map(Thread::getName))
                .as("the second lock writer (writers=2)")
                .contains("lock-group-commit-2");
        TradeClient mall = TradeClient.onNewGoods(port, jdbc, 19501, "http://127.0.0.1:1/cb");
        String teamId = mall.team("lead");
        ExecutorService pool = Executors.newFixedThreadPool(2);
        int lostBefore = PROXY.commitAnswersLost();
        Future<JsonNode> first;
        Future<JsonNode> second;
        try (RowLockHolder holder = RowLockHolder.open(dataSource, jdbc)) {
            // The team row held: the first batch (a's join) waits at its takePlace, holding the writers' turn.
            holder.lock("SELECT id FROM group_buy_order WHERE team_id = ? FOR UPDATE", teamId);
            PROXY.loseCommitAnswers("INSERT INTO group_buy_order_list", 2);
            first = pool.submit(() -> mall.lock("a", teamId));
            holder.awaitWaiter();
            second = pool.submit(() -> mall.lock("b", teamId));
            awaitQueued(1); // b waits for the turn: its batch starts once a's statements are written
            holder.rollback();
        }
        JsonNode a = first.get(30, TimeUnit.SECONDS);
        JsonNode b = second.get(30, TimeUnit.SECONDS);
        pool.shutdown();

        assertThat(PROXY.commitAnswersLost())
                .as("both batches' commit answers were lost")
                .isEqualTo(lostBefore + 2);
        assertThat(orders("a") + orders("b")).as("both committed").isEqualTo(2);
        SoftAssertions soft = new SoftAssertions();
        soft.assertThat(a.path("code").asText()).as("a answered %s", a).isEqualTo("0000");
        soft.assertThat(b.path("code").asText()).as("b answered %s", b).isEqualTo("0000");
        soft.assertThat(a.path("data").path("orderId").asText()).isEqualTo(orderId("a"));
        soft.assertThat(b.path("data").path("orderId").asText()).isEqualTo(orderId("b"));
        soft.assertThat(counts.lockCount(teamId)).as("lock_count").isEqualTo(3);
        soft.assertThat(counts.redisPlaces(teamId)).as("Redis places").isEqualTo(3);

        JsonNode retry = mall.lock("b", teamId);
        soft.assertThat(retry.path("data").path("orderId").asText())
                .as("b's retry answered %s", retry)
                .isEqualTo(orderId("b"));
        soft.assertThat(mall.lock("c", teamId).path("code").asText())
                .as("a fourth lock of a team of three")
                .isNotEqualTo("0000");
        soft.assertThat(orders("a") + orders("b")).isEqualTo(2);
        soft.assertThat(counts.lockCount(teamId)).as("lock_count at the end").isEqualTo(3);
        soft.assertThat(counts.redisPlaces(teamId))
                .as("Redis places at the end")
                .isEqualTo(3);
        soft.assertAll();
    }

    private void awaitQueued(int locks) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        while (LockGroupCommitQueue.queued(groupCommit) < locks) {
            assertThat(System.currentTimeMillis()).as("b queued").isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    private int orders(String userId) {
        return jdbc.queryForObject(
                "SELECT COUNT(*) FROM group_buy_order_list WHERE user_id = ? AND out_trade_no = ?",
                Integer.class,
                userId,
                "out-" + userId);
    }

    private String orderId(String userId) {
        return jdbc.queryForObject("SELECT order_id FROM group_buy_order_list WHERE user_id = ?", String.class, userId);
    }
}
