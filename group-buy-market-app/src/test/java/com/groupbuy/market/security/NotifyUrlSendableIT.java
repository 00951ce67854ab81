package com.groupbuy.market.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.groupbuy.market.support.SharedContextIntegrationTest;
import com.groupbuy.market.support.SilentNames;
import com.groupbuy.market.support.TradeClient;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The lock judged a {@code notifyUrl} with {@code java.net.URI} and the JDK's resolver, the callback client sends it
 * with OkHttp's own URL parser, and they disagree: an IPv6 literal with a zone ({@code [::1%lo]}, which the JDK
 * resolves) or a host label {@code xn--…} that is no valid punycode (which a name server answers like any other
 * label) passed the lock, {@code 0000}, while OkHttp refuses the URL: none of that team's callbacks could ever be sent
 * (on main the gateway even threw, and held other partners' callbacks of the same page unsent: UnsendableUrlTaskIT).
 * Such a URL is now refused {@code E0204}, nothing written; the forms OkHttp takes (a plain IPv6 literal, valid
 * punycode) lock as before.
 * Names under {@code honest.gbm-test} are answered 127.0.0.1 by the test's name server ({@link SilentNames}).
 */
@SharedContextIntegrationTest
class NotifyUrlSendableIT {

    @RegisterExtension
    static final SilentNames names = new SilentNames();

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void aNotifyUrlTheCallbackClientCannotSendIsRefusedAndNothingIsWritten() throws Exception {
        List<String> urls = List.of(
                "http://[::1%lo]:8080/cb", "http://xn--0.honest.gbm-test:8080/cb", "http://xn--zz.honest.gbm-test/cb");
        for (int i = 0; i < urls.size(); i++) {
            TradeClient mall = TradeClient.onNewGoods(port, jdbc, 95_401 + i, urls.get(i));

            JsonNode answer = mall.lock("unsendable" + i, "");

            assertThat(answer.path("code").asText())
                    .as("%s: %s", urls.get(i), answer)
                    .isEqualTo("E0204");
            assertThat(answer.path("data").isNull()).as(urls.get(i)).isTrue();
        }
        assertThat(jdbc.queryForObject(
                        "SELECT COUNT(*) FROM group_buy_order_list WHERE user_id LIKE 'unsendable%'", Integer.class))
                .as("no order written")
                .isZero();
        assertThat(jdbc.queryForObject(
                        "SELECT COUNT(*) FROM group_buy_order WHERE activity_id BETWEEN 95401 AND 95403",
                        Integer.class))
                .as("no team written")
                .isZero();
    }

    @Test
    void aNotifyUrlTheCallbackClientSendsIsLockedAsBefore() throws Exception {
        List<String> urls = List.of("http://[::1]:8080/cb", "http://xn--bcher-kva.honest.gbm-test:8080/cb");
        for (int i = 0; i < urls.size(); i++) {
            TradeClient mall = TradeClient.onNewGoods(port, jdbc, 95_411 + i, urls.get(i));

            JsonNode answer = mall.lock("sendable" + i, "");

            assertThat(answer.path("code").asText())
                    .as("%s: %s", urls.get(i), answer)
                    .isEqualTo("0000");
        }
    }
}
