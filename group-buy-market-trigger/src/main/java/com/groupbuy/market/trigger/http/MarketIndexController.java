package com.groupbuy.market.trigger.http;

import com.groupbuy.market.api.IMarketIndexService;
import com.groupbuy.market.api.dto.GoodsMarketRequestDTO;
import com.groupbuy.market.api.dto.GoodsMarketResponseDTO;
import com.groupbuy.market.api.response.Response;
import com.groupbuy.market.domain.activity.model.entity.MarketProductEntity;
import com.groupbuy.market.domain.activity.model.entity.TrialBalanceEntity;
import com.groupbuy.market.domain.activity.service.IIndexGroupBuyMarketService;
import com.groupbuy.market.domain.trade.model.valobj.TeamStatisticVO;
import com.groupbuy.market.domain.trade.model.valobj.TeamVO;
import com.groupbuy.market.domain.trade.service.team.TeamQueryService;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import lombok.extern.slf4j.Slf4j;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** The product page's trial: validates, asks the activity context for the price and the trade context for teams. */
@Slf4j
@RestController
// produces: the answer's type comes from the mapping, so Spring does not ask every message converter (Jackson's
// canSerialize makes a serializer provider each time) whether it can write a Response before each answer (#19). The
// negotiation takes every request as accepting anything (WebEdgeConfig), so this matches under any Accept header.
@RequestMapping(path = "/api/v1/gbm/index/", produces = MediaType.APPLICATION_JSON_VALUE)
public class MarketIndexController implements IMarketIndexService {

    private final IIndexGroupBuyMarketService trialService;
    private final TeamQueryService teamQueryService;
    private final Clock clock;

    public MarketIndexController(
            IIndexGroupBuyMarketService trialService, TeamQueryService teamQueryService, Clock clock) {
        this.trialService = trialService;
        this.teamQueryService = teamQueryService;
        this.clock = clock;
    }

    @Override
    @PostMapping("query_group_buy_market_config")
    public Response<GoodsMarketResponseDTO> queryGroupBuyMarketConfig(@RequestBody GoodsMarketRequestDTO request) {
        MarketProductEntity product = MarketProductEntity.builder()
                .userId(RequestCheck.text("userId", request.getUserId(), 32))
                .source(RequestCheck.text("source", request.getSource(), 16))
                .channel(RequestCheck.text("channel", request.getChannel(), 16))
                .goodsId(RequestCheck.text("goodsId", request.getGoodsId(), 16))
                .build();

        TrialBalanceEntity trial = trialService.indexMarketTrial(product);
        Instant now = Instant.now(clock);
        // Only the caller's partner's teams: a team belongs to the partner that opened it (another's is not joinable).
        List<TeamVO> teams = teamQueryService.teamsFor(
                trial.getActivityId(), product.getSource(), product.getChannel(), product.getUserId(), now);
        TeamStatisticVO statistic =
                teamQueryService.statistic(trial.getActivityId(), product.getSource(), product.getChannel());
        log.info(
                "trial user={} goods={} activity={} pay={} visible={} enable={}",
                product.getUserId(),
                product.getGoodsId(),
                trial.getActivityId(),
                trial.getPayPrice(),
                trial.isVisible(),
                trial.isEnable());

        return Envelope.success(GoodsMarketResponseDTO.builder()
                .activityId(trial.getActivityId())
                .goods(goods(trial))
                .teamList(teams.stream().map(team -> team(team, now)).toList())
                .teamStatistic(GoodsMarketResponseDTO.TeamStatistic.builder()
                        .allTeamCount(statistic.getAllTeamCount())
                        .allTeamCompleteCount(statistic.getAllTeamCompleteCount())
                        .allTeamUserCount(statistic.getAllTeamUserCount())
                        .build())
                .isVisible(trial.isVisible())
                .isEnable(trial.isEnable())
                .build());
    }

    private static GoodsMarketResponseDTO.Goods goods(TrialBalanceEntity trial) {
        return GoodsMarketResponseDTO.Goods.builder()
                .goodsId(trial.getGoodsId())
                .originalPrice(trial.getOriginalPrice())
                .deductionPrice(trial.shownDeductionPrice())
                .payPrice(trial.shownPayPrice())
                .build();
    }

    private static GoodsMarketResponseDTO.Team team(TeamVO team, Instant now) {
        return GoodsMarketResponseDTO.Team.builder()
                .teamId(team.getTeamId())
                .userId(team.getLeaderUserId())
                .activityId(team.getActivityId())
                .targetCount(team.getTargetCount())
                .completeCount(team.getCompleteCount())
                .lockCount(team.getLockCount())
                .validStartTime(WireTime.format(team.getValidStartTime()))
                .validEndTime(WireTime.format(team.getValidEndTime()))
                .validTimeCountdown(team.countdown(now))
                .outTradeNo(team.getOutTradeNo())
                .build();
    }
}
