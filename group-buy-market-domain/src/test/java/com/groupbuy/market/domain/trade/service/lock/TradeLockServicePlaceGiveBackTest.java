package com.groupbuy.market.domain.trade.service.lock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.groupbuy.market.domain.trade.adapter.repository.ITradeRepository;
import com.groupbuy.market.domain.trade.model.aggregate.LockOrderAggregate;
import com.groupbuy.market.domain.trade.model.aggregate.Team;
import com.groupbuy.market.domain.trade.model.entity.MarketPayOrderEntity;
import com.groupbuy.market.domain.trade.model.valobj.LockLookupVO;
import com.groupbuy.market.domain.trade.model.valobj.PartnerOrderKey;
import com.groupbuy.market.types.exception.CommitOutcomeUnknownException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Design §7 (Redis places leaked between the counter and the database write): a place reserved in Redis for a lock
 * whose write then fails (the database gone, a deadlock, any error that is not a duplicate key) is given back before
 * the error is answered, so the team is not left with a place nobody holds until a reconciler finds it. Over
 * in-memory ports; LockIT pins the duplicate-key refusals against real Redis and MariaDB.
 */
class TradeLockServicePlaceGiveBackTest {

    private static final Instant NOW = Instant.parse("2026-12-03T10:00:00Z");

    private final FailingWrites repository = new FailingWrites();
    private final InMemoryPlaces places = new InMemoryPlaces();
    private final TradeLockService service = LockServices.over(
            product -> LockServices.trial(product, NOW, 1).build(), repository, places, LockServices.allowedTargets());

    @Test
    void aJoinWhoseWriteFailsGivesItsPlaceBackAndOthersKeepTheirs() {
        places.counters.put("t-1", new ArrayList<>(List.of("leader-holder")));
        repository.namedTeam = LockServices.openTeam("t-1", NOW);

        assertThatThrownBy(
                        () -> service.lock(LockServices.command().teamId("t-1").build()))
                .hasMessageContaining("connection lost");

        assertThat(repository.writes).as("the join reached its write").isEqualTo(1);
        assertThat(places.counters.get("t-1"))
                .as("the failed join's place given back, the leader's kept")
                .containsExactly("leader-holder");
    }

    @Test
    void aNewTeamWhoseWriteFailsLeavesNoCounterBehind() {
        assertThatThrownBy(() -> service.lock(LockServices.command().build())).hasMessageContaining("connection lost");

        assertThat(repository.writes).isEqualTo(1);
        assertThat(places.opened)
                .as("a new team's counter is made only once its row committed")
                .isEmpty();
        assertThat(places.counters).isEmpty();
    }

    /**
     * A write whose commit went unanswered and could not be read back may have committed: its place stays held (the
     * retry finds its order, or shares the place to write it). Given back, a committed member had no Redis place and
     * the counter stayed one below the team row until the reconciler's sweep (DatabaseRestartIT's kill found it).
     */
    @Test
    void aJoinOfUnknownOutcomeKeepsItsPlace() {
        places.counters.put("t-1", new ArrayList<>(List.of("leader-holder")));
        repository.namedTeam = LockServices.openTeam("t-1", NOW);
        repository.failure = new CommitOutcomeUnknownException(new IllegalStateException("connection lost"));

        assertThatThrownBy(
                        () -> service.lock(LockServices.command().teamId("t-1").build()))
                .isInstanceOf(CommitOutcomeUnknownException.class);

        assertThat(repository.writes).isEqualTo(1);
        assertThat(places.counters.get("t-1"))
                .as("the join's place kept with the leader's")
                .hasSize(2)
                .contains("leader-holder");
    }

    /** No order yet; the named team as read; every write fails as a dropped connection does. */
    private static final class FailingWrites implements ITradeRepository {
        Team namedTeam;
        int writes;
        RuntimeException failure = new IllegalStateException("connection lost");

        @Override
        public MarketPayOrderEntity queryOrder(PartnerOrderKey key) {
            return null;
        }

        @Override
        public LockLookupVO queryOrderAndLiveTakes(PartnerOrderKey key, Long activityId, String teamId) {
            return new LockLookupVO(null, 0, teamId == null ? null : namedTeam);
        }

        @Override
        public MarketPayOrderEntity lockOrder(LockOrderAggregate aggregate) {
            writes++;
            throw failure;
        }
    }
}
