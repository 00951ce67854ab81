package com.groupbuy.market.domain.trade.adapter.repository;

import com.groupbuy.market.domain.trade.model.valobj.LockedTeamPlacesVO;
import com.groupbuy.market.domain.trade.model.valobj.OpenTeamPlacesVO;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;

/** What the place reconciliation reads from the database: open teams' live lock counts, and a team held still. */
public interface ITeamPlaceRepository {

    /** This shard's teams open at {@code now} with a row id above {@code afterRowId}, by row id. */
    List<OpenTeamPlacesVO> queryOpenTeams(Instant now, long afterRowId, int shardIndex, int shardTotal, int limit);

    /**
     * Runs {@code work} while the team row is locked, the lock every change of its lock count takes: no lock, refund
     * or close of this team commits meanwhile. Null, without calling {@code work}, when the team is not open.
     */
    <T> T underTeamLock(String teamId, Function<LockedTeamPlacesVO, T> work);
}
