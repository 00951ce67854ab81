package com.groupbuy.market.domain.trade.service.team;

import com.groupbuy.market.domain.trade.adapter.repository.ITeamQueryRepository;
import com.groupbuy.market.domain.trade.model.valobj.TeamStatisticVO;
import com.groupbuy.market.domain.trade.model.valobj.TeamVO;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;

/**
 * The teams a buyer is shown: their own open team first, then up to N others they could still join — all of the
 * caller's partner (source + channel) only, as are the statistics: a team belongs to the partner that opened it and
 * only that partner may join it ({@link com.groupbuy.market.domain.trade.model.aggregate.Team#belongsTo}), so another
 * partner's team is neither offered nor counted.
 */
@Service
public class TeamQueryService {

    /**
     * The most joinable teams a trial may list. The trial is unsigned and every call reads and answers that many teams,
     * and a product page shows a handful (default 2): a larger setting is a typo, or "all", that no page can use.
     */
    public static final int MAX_OTHERS_SHOWN = 100;

    private final ITeamQueryRepository repository;
    private final int othersShown;

    /**
     * Refuses to start with a setting no trial can serve: each trial sized its list by it, so {@code 2147483647}
     * overflowed and {@code -2} was a negative size (every trial 500 {@code 0001}), and {@code 200000000} ran the heap
     * out on every trial (an {@code OutOfMemoryError}, which also fails whatever else the instance was doing).
     */
    public TeamQueryService(ITeamQueryRepository repository, @Value("${gbm.trial.teams-shown:2}") int othersShown) {
        if (othersShown < 0 || othersShown > MAX_OTHERS_SHOWN) {
            throw new IllegalArgumentException("gbm.trial.teams-shown must be 0.." + MAX_OTHERS_SHOWN
                    + " (joinable teams a trial lists besides the caller's own), got " + othersShown);
        }
        this.repository = repository;
        this.othersShown = othersShown;
    }

    public List<TeamVO> teamsFor(Long activityId, String source, String channel, String userId, Instant now) {
        List<TeamVO> teams = new ArrayList<>(othersShown + 1);
        TeamVO own = repository.queryOwnOpenTeam(activityId, source, channel, userId, now);
        if (own != null) {
            teams.add(own);
        }
        if (othersShown > 0) {
            teams.addAll(repository.queryJoinableTeams(
                    activityId, source, channel, own == null ? null : own.getTeamId(), now, othersShown));
        }
        return teams;
    }

    public TeamStatisticVO statistic(Long activityId, String source, String channel) {
        return repository.queryStatistic(activityId, source, channel);
    }
}
