package com.groupbuy.market.activity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.SecondInstance;
import com.groupbuy.market.support.TestJson;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * {@code gbm.trial.teams-shown}, the joinable teams a trial lists, as an operator might set it: "all" written as
 * {@code 2147483647}, or a negative number. The trial sized its team list by the setting, so on main an instance started
 * with either answered every trial HTTP 500 {@code 0001} (an overflowed or negative list size; {@code 200000000} ran
 * the heap out on every trial). A setting no trial can serve now stops the instance at start, naming it.
 */
@IntegrationTest
class TrialTeamsShownIT {

    private static final String TRIAL = "/api/v1/gbm/index/query_group_buy_market_config";
    private static final long ACTIVITY = 58_001;

    @Autowired
    Environment environment;

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void aSettingNoTrialCanServeRefusesToStartInsteadOfFailingEveryTrial() {
        new MarketConfigFixture(jdbc).goods("g" + ACTIVITY, ACTIVITY, "ZJ", "20", "100.00");
        Map<String, String> served = new LinkedHashMap<>();
        for (String setting : new String[] {"2147483647", "-2"}) {
            Throwable refused = catchThrowable(() -> {
                try (SecondInstance instance = SecondInstance.like(environment, "gbm.trial.teams-shown=" + setting)) {
                    HttpResponse<String> trial = TestJson.post(
                            instance.port(),
                            TRIAL,
                            "{\"userId\":\"u1\",\"source\":\"s01\",\"channel\":\"c01\",\"goodsId\":\"g" + ACTIVITY
                                    + "\"}");
                    served.put(setting, trial.statusCode() + " " + trial.body());
                }
            });
            if (refused != null) {
                assertThat(refused)
                        .as("teams-shown=%s", setting)
                        .hasStackTraceContaining("gbm.trial.teams-shown must be 0..100")
                        .hasStackTraceContaining("got " + setting);
            }
        }
        assertThat(served)
                .as("trials an instance served under a teams-shown setting no trial can serve")
                .isEmpty();
    }
}
