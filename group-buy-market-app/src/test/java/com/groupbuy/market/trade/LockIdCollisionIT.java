package com.groupbuy.market.trade;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.groupbuy.market.infrastructure.trade.port.TeamPlaceReservation;
import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.ScriptedTradeIds;
import com.groupbuy.market.support.TradeClient;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Team and order ids are drawn at random, so a draw can hit an id a row already has (about 1 % of new teams at a
 * million teams). The ids are scripted here to hit one on purpose: the lock draws again and succeeds, and the
 * colliding team's Redis counter is left as it was.
 */
@IntegrationTest
@Import(ScriptedTradeIds.Config.class)
class LockIdCollisionIT {

    private static final AtomicInteger ACTIVITY = new AtomicInteger(9500);

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    ScriptedTradeIds ids;

    @Autowired
    TeamCounts counts;

    @Autowired
    RedissonClient redisson;

    @Autowired
    TeamPlaceReservation reservation;

    private TradeClient mall;

    @BeforeEach
    void setUp() {
        mall = TradeClient.onNewGoods(port, jdbc, ACTIVITY.incrementAndGet(), "http://127.0.0.1:9/cb");
    }

    @Test
    void aNewTeamDrawingALiveTeamsIdDrawsAgainAndLeavesThatTeamsPlacesAlone() throws Exception {
        String first = mall.team("a1", "a2", "a3");
        ids.teams.add(first);

        JsonNode answer = mall.lock("b1", "");

        assertThat(answer.path("code").asText()).isEqualTo("0000");
        String second = answer.path("data").path("teamId").asText();
        assertThat(second).isNotEqualTo(first).hasSize(8);
        assertThat(counts.redisPlaces(first)).isEqualTo(3);
        assertThat(counts.lockCount(second)).isEqualTo(1);
        assertThat(counts.redisPlaces(second)).isEqualTo(1);
    }

    @Test
    void aTeamIdTakenOnlyInTheDatabaseIsDrawnAgainAndItsCounterLeftUntouched() throws Exception {
        String first = mall.team("c1", "c2");
        redisson.getBucket(reservation.key(first), StringCodec.INSTANCE).delete();
        ids.teams.add(first);

        JsonNode answer = mall.lock("d1", "");

        assertThat(answer.path("code").asText()).isEqualTo("0000");
        assertThat(answer.path("data").path("teamId").asText()).isNotEqualTo(first);
        assertThat(counts.redisPlaces(first))
                .as("no counter invented for the other team")
                .isEqualTo(-1);
        assertThat(counts.lockCount(first)).isEqualTo(2);
        assertThat(mall.lock("c3", first).path("code").asText())
                .as("reseeded from the database")
                .isEqualTo("0000");
        assertThat(counts.redisPlaces(first)).isEqualTo(3);
    }

    @Test
    void anOrderIdAlreadyTakenIsDrawnAgainAndTheJoinedTeamCountsOnce() throws Exception {
        String teamId = mall.team("e1");
        String takenOrderId =
                jdbc.queryForObject("SELECT order_id FROM group_buy_order_list WHERE user_id = 'e1'", String.class);
        ids.orders.add(takenOrderId);

        JsonNode answer = mall.lock("e2", teamId);

        assertThat(answer.path("code").asText()).isEqualTo("0000");
        assertThat(answer.path("data").path("orderId").asText())
                .isNotEqualTo(takenOrderId)
                .hasSize(12);
        assertThat(counts.lockCount(teamId)).isEqualTo(2);
        assertThat(counts.redisPlaces(teamId)).isEqualTo(2);
    }
}
