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

    private final ITeamQueryRepository repository;
    private final int othersShown;

    public TeamQueryService(ITeamQueryRepository repository, @Value("${gbm.trial.teams-shown:2}") int othersShown) {
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
