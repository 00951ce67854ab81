package com.groupbuy.market.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.groupbuy.market.support.SharedContextIntegrationTest;
import com.groupbuy.market.support.TradeClient;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A callback body names no partner ({@code {teamId, outTradeNoList}}), so a partner whose locks named another mall's
 * callback URL had us post that mall its team's trade numbers, which it chooses (the mall's own numbers included): a
 * mall that does not verify {@code webhook-signature}, or has no secret (unsigned callbacks), took them for its own
 * completed orders. On main nothing refused such a lock. The test profile binds partner {@code s95:c95} to the host
 * {@code 127.0.0.95} ({@code gbm.notify.callback-hosts}): another partner's lock naming it is refused {@code E0204}
 * with nothing written, and the bound partner's lock naming any other host is refused the same way; its own host
 * passes the check. (Case and a trailing dot: PartnerCallbackHostsTest.)
 */
@SharedContextIntegrationTest
class PartnerCallbackHostsIT {

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void aLockNamingAnotherPartnersCallbackHostIsRefusedAndNothingIsWritten() throws Exception {
        String[] urls = {"http://127.0.0.95:1/cb", "https://127.0.0.95/cb"};
        for (int i = 0; i < urls.length; i++) {
            TradeClient mall = TradeClient.onNewGoods(port, jdbc, 95_401 + i, urls[i]);

            JsonNode answer = mall.lock("cbhost" + i, "");

            assertThat(answer.path("code").asText())
                    .as("%s: %s", urls[i], answer)
                    .isEqualTo("E0204");
            assertThat(answer.path("info").asText()).contains("another partner's callback host");
            assertThat(answer.path("data").isNull()).isTrue();
        }
        assertThat(jdbc.queryForObject(
                        "SELECT COUNT(*) FROM group_buy_order WHERE activity_id BETWEEN 95401 AND 95402",
                        Integer.class))
                .as("no team written")
                .isZero();
    }

    @Test
    void aBoundPartnerMayNameOnlyItsOwnHosts() throws Exception {
        JsonNode elsewhere = TradeClient.lockNaming(port, "s95", "c95", "cbhost-b1", "http://127.0.0.1:1/cb");
        JsonNode own = TradeClient.lockNaming(port, "s95", "c95", "cbhost-b2", "http://127.0.0.95:1/cb");

        assertThat(elsewhere.path("code").asText()).as("%s", elsewhere).isEqualTo("E0204");
        assertThat(elsewhere.path("info").asText()).contains("not one of this partner's callback hosts");
        assertThat(own.path("info").asText()).as("%s", own).doesNotContain("callback host");
        assertThat(own.path("code").asText()).as("%s", own).isNotEqualTo("E0204");
    }
}
