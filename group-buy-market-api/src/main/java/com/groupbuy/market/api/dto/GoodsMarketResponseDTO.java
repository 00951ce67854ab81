package com.groupbuy.market.api.dto;

import java.math.BigDecimal;
import java.util.List;
import lombok.AllArgsConstructor;
import lombok.Builder;
import lombok.Data;
import lombok.NoArgsConstructor;

/**
 * The trial answer a partner's page renders. Times are "yyyy-MM-dd HH:mm:ss" in UTC+8. {@code isVisible}: the user
 * may see the group price (else the goods shows the original price); {@code isEnable}: the user may join.
 */
@Data
@Builder
@NoArgsConstructor
@AllArgsConstructor
public class GoodsMarketResponseDTO {

    private Long activityId;
    private Goods goods;
    private List<Team> teamList;
    private TeamStatistic teamStatistic;
    private Boolean isVisible;
    private Boolean isEnable;

    @Data
    @Builder
    @NoArgsConstructor
    @AllArgsConstructor
    public static class Goods {
        private String goodsId;
        private BigDecimal originalPrice;
        private BigDecimal deductionPrice;
        private BigDecimal payPrice;
    }

    @Data
    @Builder
    @NoArgsConstructor
    @AllArgsConstructor
    public static class Team {
        private String teamId;
        private String userId;
        private Long activityId;
        private Integer targetCount;
        private Integer completeCount;
        private Integer lockCount;
        private String validStartTime;
        private String validEndTime;
        private String validTimeCountdown;
        private String outTradeNo;
    }

    @Data
    @Builder
    @NoArgsConstructor
    @AllArgsConstructor
    public static class TeamStatistic {
        private Integer allTeamCount;
        private Integer allTeamCompleteCount;
        private Integer allTeamUserCount;
    }
}
