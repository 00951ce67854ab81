package com.groupbuy.market.domain.trade.adapter.repository;

import com.groupbuy.market.domain.trade.model.valobj.LockedTeamPlacesVO;
import com.groupbuy.market.domain.trade.model.valobj.OpenTeamPlacesVO;
import com.groupbuy.market.domain.trade.model.valobj.OpenTeamsPosition;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;

/** What the place reconciliation reads from the database: open teams' live lock counts, and a team held still. */
public interface ITeamPlaceRepository {

    /**
     * This shard's teams open at {@code now} that come after {@code after}, in (validity end, row id) order: the
     * order of the open-teams index, so a page reads about as many index entries as it returns, whatever the table
     * holds besides (completed and failed teams) and wherever the sweep stands.
     */
    List<OpenTeamPlacesVO> queryOpenTeams(
            Instant now, OpenTeamsPosition after, int shardIndex, int shardTotal, int limit);

    /**
     * Runs {@code work} while the team row is locked, the lock every change of its lock count takes: no lock, refund
     * or close of this team commits meanwhile. Null, without calling {@code work}, when the team is not open, or
     * when its row lock could not be had (a deadlock, a lock wait timeout): a look is best effort, the next sweep
     * looks again.
     */
    <T> T underTeamLock(String teamId, Function<LockedTeamPlacesVO, T> work);
}
