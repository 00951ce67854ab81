package com.groupbuy.market.tag;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.groupbuy.market.activity.MarketConfigFixture;
import com.groupbuy.market.domain.tag.service.CrowdTagImportService;
import com.groupbuy.market.support.ConcurrentBurst;
import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.PrivateRedis;
import com.groupbuy.market.support.PrivateRedisServer;
import com.groupbuy.market.support.TestJson;
import com.groupbuy.market.types.security.WebhookSignature;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Redis restarts while the service is up, and a burst of trials of a tag-bound activity follows at once. The
 * membership check reads the tag's bitmap and its "loaded" mark from Redis; after a restart the client's pool still
 * holds connections the old server closed. Those reads go through the Redis breaker like the place scripts: a read
 * Redisson could not write into a closed connection is sent again on a live one, so every tagged buyer is answered
 * normally with the audience price (the bitmap is gone with the restart: from the database, see TagRedisLossIT),
 * never E0401. The test waits only until Redis answers one PING from a plain socket of its own.
 */
@IntegrationTest
@PrivateRedisServer
class TagRedisRestartIT {

    private static final String TRIAL = "/api/v1/gbm/index/query_group_buy_market_config";
    private static final String LOCK = "/api/v1/gbm/trade/lock_market_pay_order";
    private static final long ACTIVITY = 27_300;
    private static final int MEMBERS = 40;

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    CrowdTagImportService importService;

    @Autowired
    PrivateRedis redis;

    @Test
    void aBurstOfTrialsOfATagBoundActivityRightAfterARedisRestartGivesEveryMemberTheAudiencePrice() throws Exception {
        List<String> members = members();

        // The pool is in use before the restart: its connections have carried commands to the old server.
        assertThat(burst(members)).as("answers before the restart").containsOnlyKeys("member price");

        redis.kill();
        redis.startAgain();
        redis.awaitOnePong();

        Map<String, Integer> answers = burst(members);
        System.out.println("trials of tag members right after Redis answered again: " + answers);
        assertThat(answers)
                .as("every member answered normally with the audience price, none E0401: %s", answers)
                .containsOnlyKeys("member price");

        // Non-members stay out once Redis is back (the check did not turn into "everyone").
        JsonNode stranger = TestJson.postEnvelope(port, TRIAL, trialBody("rr-stranger"));
        assertThat(stranger.path("code").asText()).as(stranger.toString()).isEqualTo("0000");
        assertThat(stranger.path("data").path("isEnable").asBoolean())
                .as(stranger.toString())
                .isFalse();
        assertThat(stranger.path("data").path("goods").path("payPrice").decimalValue())
                .isEqualByComparingTo("100.00");
    }

    /**
     * Signed locks (a signature sent is always checked): the webhook-id is marked first-used in Redis before the
     * lock runs, and the lock checks the tag. Right after a restart every member's lock is taken at the audience
     * price: no E0401, and no E0210 (a partner's first request called a replay).
     */
    @Test
    void aBurstOfSignedLocksOfTagMembersRightAfterARedisRestartIsAnsweredNormally() throws Exception {
        List<String> members = members();
        assertThat(burst(members)).as("answers before the restart").containsOnlyKeys("member price");

        redis.kill();
        redis.startAgain();
        redis.awaitOnePong();

        List<Callable<String>> locks = new ArrayList<>();
        for (String userId : members) {
            locks.add(() -> {
                String body = "{\"userId\":\"" + userId + "\",\"teamId\":\"\",\"activityId\":" + ACTIVITY
                        + ",\"goodsId\":\"g" + ACTIVITY + "\",\"source\":\"s01\",\"channel\":\"c01\","
                        + "\"outTradeNo\":\"rrl-" + userId + "\",\"notifyUrl\":\"http://127.0.0.1:1/cb\"}";
                String id = "req_" + UUID.randomUUID();
                long now = Instant.now().getEpochSecond();
                HttpResponse<String> answer = TestJson.post(
                        port,
                        LOCK,
                        body,
                        Map.of(
                                "webhook-id",
                                id,
                                "webhook-timestamp",
                                Long.toString(now),
                                "webhook-signature",
                                WebhookSignature.sign("test_secret", id, now, body)));
                JsonNode reply = TestJson.JSON.readTree(answer.body());
                String code = reply.path("code").asText();
                String kind = "0000".equals(code)
                        ? reply.path("data").path("payPrice").decimalValue().compareTo(new BigDecimal("80.00")) == 0
                                ? "member price"
                                : "non-member price"
                        : code;
                return kind;
            });
        }
        Map<String, Integer> answers = ConcurrentBurst.answers(8, locks);
        System.out.println("signed locks of tag members right after Redis answered again: " + answers);
        assertThat(answers)
                .as("every member's signed lock taken at the audience price, none E0401 or E0210: %s", answers)
                .containsOnlyKeys("member price");
    }

    /** The tag's members, imported, and the activity bound to it (once per class). */
    private List<String> members() {
        List<String> members = new ArrayList<>();
        for (int m = 0; m < MEMBERS; m++) {
            members.add("rr" + m);
        }
        if (jdbc.queryForObject("SELECT COUNT(*) FROM crowd_tags WHERE tag_id = 'RR-TAG'", Integer.class) == 0) {
            new CrowdTagFixture(jdbc).tag("RR-TAG", "s01", "c01", members);
            importService.importMembers("RR-TAG");
            tagBoundActivity("RR-TAG");
        }
        return members;
    }

    /**
     * 40 trials of the tag's members from 8 threads at once; each answer is "member price" (0000, enabled, 80.00),
     * "non-member price" (0000 without the audience's price or enablement) or its code (an HTTP 503 is E0401).
     */
    private Map<String, Integer> burst(List<String> members) throws Exception {
        List<Callable<String>> trials = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            String userId = members.get(i % members.size());
            trials.add(() -> {
                HttpResponse<String> answer = TestJson.post(port, TRIAL, trialBody(userId));
                JsonNode body = TestJson.JSON.readTree(answer.body());
                assertThat(TestJson.fields(body)).as(answer.body()).containsExactly("code", "info", "data");
                String code = body.path("code").asText();
                if (answer.statusCode() != 200) {
                    assertThat(code).as(answer.body()).isEqualTo("E0401");
                }
                String kind = code;
                if ("0000".equals(code)) {
                    JsonNode data = body.path("data");
                    boolean memberPrice = data.path("isEnable").asBoolean()
                            && data.path("isVisible").asBoolean()
                            && data.path("goods")
                                            .path("payPrice")
                                            .decimalValue()
                                            .compareTo(new java.math.BigDecimal("80.00"))
                                    == 0;
                    kind = memberPrice ? "member price" : "non-member price";
                }
                return kind;
            });
        }
        return ConcurrentBurst.answers(8, trials);
    }

    /** Visible and enabled only to the tag's members, who pay 80.00 of 100.00 (s01/c01 sells it). */
    private void tagBoundActivity(String tagId) {
        Instant now = Instant.now();
        new MarketConfigFixture(jdbc)
                .goods(
                        "g" + ACTIVITY,
                        ACTIVITY,
                        "ZJ",
                        "20",
                        "100.00",
                        1,
                        now.minus(1, ChronoUnit.DAYS),
                        now.plus(1, ChronoUnit.DAYS),
                        tagId,
                        "1,2",
                        0,
                        null);
    }

    private static String trialBody(String userId) {
        return "{\"userId\":\"" + userId + "\",\"source\":\"s01\",\"channel\":\"c01\",\"goodsId\":\"g" + ACTIVITY
                + "\"}";
    }
}
