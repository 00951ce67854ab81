package com.groupbuy.market.docs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.ProjectRoot;
import com.groupbuy.market.support.TestJson;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

/**
 * The first requests a newcomer sends, read from the docs themselves and sent to the service holding the default
 * profile's demo data: docs/api.md's trial example must answer exactly its documented answer, and README's whole loop
 * (lock, two joins, three settlements, the test receiver's callback, a refund) must succeed as written, each answer
 * exactly the envelope. README's settlement once carried a fixed {@code outTradeTime}, which fell outside every team's
 * window from the day after it was written: everyone who tried the loop was answered {@code E0106}.
 */
@IntegrationTest
@TestPropertySource(properties = "spring.flyway.locations=classpath:db/migration,classpath:db/demo")
class ReadmeExamplesIT {

    private static final String DOCUMENTED_HOST = "localhost:8091";
    private static final Pattern CURL = Pattern.compile("curl -s (\\S+)(?: -H \"\\$H\" -d '(.*?)')?\\s*(?:#.*)?");
    private static final Pattern VARIABLE_B = Pattern.compile("\\bB=([^;\\s]+)");
    /** README's settlement body takes the payment time from the shell: {@code "outTradeTime":"'"$NOW"'"}. */
    private static final String SHELL_TIME = "'\"$NOW\"'";

    private static final DateTimeFormatter WIRE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private final HttpClient http = HttpClient.newHttpClient();

    @LocalServerPort
    int port;

    /** A request of a doc example: its path on the documented host, and its JSON body (null: a GET). */
    private record Example(String path, String body) {}

    @Test
    void theDocsFirstExamplesAnswerAsDocumented() throws Exception {
        // The trial first: its documented answer is the one of a fresh start, before any team exists.
        apiTrialExampleAnswersItsDocumentedAnswer();
        readmesLoopSucceedsAsWritten();
    }

    private void apiTrialExampleAnswersItsDocumentedAnswer() throws Exception {
        List<String> block = indentedBlockAfter("docs/api.md", "Example (demo data of the default profile):");
        // The command's lines end with a backslash, its last one does not; the documented answer follows.
        StringBuilder command = new StringBuilder();
        int line = 0;
        for (; block.get(line).endsWith("\\"); line++) {
            command.append(block.get(line), 0, block.get(line).length() - 1).append(' ');
        }
        command.append(block.get(line++));
        Matcher curl = Pattern.compile("curl -s " + DOCUMENTED_HOST + "(\\S+) .*-d '(.*)'")
                .matcher(command.toString().replaceAll("\\s+", " "));
        assertThat(curl.matches()).as("api.md's trial example: %s", command).isTrue();
        String documented = String.join(" ", block.subList(line, block.size()));

        JsonNode answer = TestJson.postEnvelope(port, curl.group(1), curl.group(2));

        assertThat(answer).isEqualTo(TestJson.JSON.readTree(documented));
    }

    private void readmesLoopSucceedsAsWritten() throws Exception {
        List<Example> examples = readmeLoop();
        assertThat(examples)
                .extracting(Example::path)
                .containsExactly(
                        "/api/v1/gbm/trade/lock_market_pay_order",
                        "/api/v1/gbm/trade/settlement_market_pay_order",
                        "/api/v1/test/group_buy_notify",
                        "/api/v1/gbm/trade/refund_market_pay_order");

        // "lock u2 and u3 into the teamId it answered, settle all three"
        ObjectNode lock =
                body(examples.get(0).body().replace(DOCUMENTED_HOST.replace("localhost", "127.0.0.1"), host()));
        JsonNode leader = success(examples.get(0).path(), lock);
        assertThat(TestJson.fields(leader))
                .containsExactly(
                        "orderId", "teamId", "originalPrice", "deductionPrice", "payPrice", "tradeOrderStatus");
        String teamId = leader.path("teamId").asText();
        for (String user : List.of("u2", "u3")) {
            lock.put("userId", user).put("teamId", teamId).put("outTradeNo", outTradeNo(user));
            assertThat(success(examples.get(0).path(), lock).path("teamId").asText())
                    .isEqualTo(teamId);
        }
        ObjectNode settlement = body(examples.get(1)
                .body()
                .replace(SHELL_TIME, ZonedDateTime.now(ZoneOffset.ofHours(8)).format(WIRE_TIME)));
        for (String user : List.of("u1", "u2", "u3")) {
            settlement.put("userId", user).put("outTradeNo", outTradeNo(user));
            assertThat(success(examples.get(1).path(), settlement)
                            .path("teamId")
                            .asText())
                    .isEqualTo(teamId);
        }

        AtomicReference<JsonNode> callback = new AtomicReference<>();
        TestJson.await(() -> {
            for (JsonNode received : get(examples.get(2).path()).path("data")) {
                if (received.path("body").asText().contains(teamId)) {
                    callback.set(received);
                    return true;
                }
            }
            return false;
        });
        assertThat(TestJson.JSON.readTree(callback.get().path("body").asText()))
                .isEqualTo(TestJson.JSON.readTree("{\"teamId\":\"" + teamId
                        + "\",\"outTradeNoList\":[\"100000000001\",\"100000000002\",\"100000000003\"]}"));
        // api.md's recipe on what the receiver kept: the partner's secret (the test profile's for s01/c01) signs
        // "id.timestamp.body".
        JsonNode got = callback.get();
        String signed = got.path("webhookId").asText() + "."
                + got.path("webhookTimestamp").asText() + "." + got.path("body").asText();
        Mac hmac = Mac.getInstance("HmacSHA256");
        hmac.init(new SecretKeySpec("test_secret".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        assertThat(got.path("signature").asText())
                .isEqualTo("v1,"
                        + Base64.getEncoder().encodeToString(hmac.doFinal(signed.getBytes(StandardCharsets.UTF_8))));

        JsonNode refund = success(examples.get(3).path(), body(examples.get(3).body()));
        assertThat(TestJson.fields(refund)).containsExactly("userId", "orderId", "teamId", "code", "info");
        assertThat(refund.path("code").asText()).isEqualTo("success");
    }

    /** README's loop: the curl lines of the block after "Try the whole loop", {@code $B} spelt out. */
    private static List<Example> readmeLoop() throws Exception {
        List<String> block = indentedBlockAfter("README.md", "Try the whole loop");
        Matcher base = VARIABLE_B.matcher(block.get(0));
        assertThat(base.find())
                .as("README's first line sets B: %s", block.get(0))
                .isTrue();
        List<Example> examples = new ArrayList<>();
        for (String line : block) {
            Matcher curl = CURL.matcher(line);
            if (curl.matches()) {
                String url = curl.group(1).replace("$B", base.group(1));
                assertThat(url).as("README's example %s", line).startsWith(DOCUMENTED_HOST);
                examples.add(new Example(url.substring(DOCUMENTED_HOST.length()), curl.group(2)));
            }
        }
        return examples;
    }

    /** The lines (trimmed) of the first block indented by four spaces after the line holding the marker. */
    private static List<String> indentedBlockAfter(String file, String marker) throws Exception {
        List<String> lines = Files.readAllLines(ProjectRoot.path().resolve(file));
        int at = 0;
        while (!lines.get(at).contains(marker)) {
            at++;
        }
        while (!lines.get(at).startsWith("    ")) {
            at++;
        }
        List<String> block = new ArrayList<>();
        while (at < lines.size() && lines.get(at).startsWith("    ")) {
            block.add(lines.get(at++).trim());
        }
        return block;
    }

    private static String outTradeNo(String user) {
        return "10000000000" + user.substring(1);
    }

    private static ObjectNode body(String json) throws Exception {
        return (ObjectNode) TestJson.JSON.readTree(json);
    }

    private String host() {
        return "127.0.0.1:" + port;
    }

    /** The answer's data, after asserting HTTP 200, exactly the envelope and code 0000. */
    private JsonNode success(String path, ObjectNode body) throws Exception {
        JsonNode answer = TestJson.postEnvelope(port, path, body.toString());
        assertThat(answer.path("code").asText())
                .as("%s %s: %s", path, body, answer)
                .isEqualTo("0000");
        return answer.path("data");
    }

    private JsonNode get(String path) {
        try {
            HttpResponse<String> answer = http.send(
                    HttpRequest.newBuilder(URI.create("http://" + host() + path))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode envelope = TestJson.JSON.readTree(answer.body());
            assertThat(TestJson.fields(envelope)).containsExactly("code", "info", "data");
            return envelope;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
