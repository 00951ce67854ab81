package com.groupbuy.market.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.groupbuy.market.support.SharedContextIntegrationTest;
import com.groupbuy.market.support.TestJson;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The built-in test receiver (outside prod) read every POST whole, whatever its size, kept the last hundred and logged
 * each whole: anyone reaching the port held megabytes of our heap per request, and a body's line breaks started lines
 * of our log ("notify task=… delivered=true" written by the caller). A body over 1 MiB is now refused in the envelope
 * ({@code 0002}) and not kept; what is logged is escaped and cut.
 */
@SharedContextIntegrationTest
@ExtendWith(OutputCaptureExtension.class)
class TestReceiverBoundsIT {

    private static final String RECEIVER = "/api/v1/test/group_buy_notify";

    @LocalServerPort
    int port;

    @Test
    void aBodyOverOneMebibyteIsRefusedAndNotKept() throws Exception {
        String huge = "{\"teamId\":\"huge-body\",\"outTradeNoList\":[\"" + "x".repeat(3 << 19) + "\"]}";

        HttpResponse<String> answer = post(huge);

        assertThat(answer.body()).as("answer").isNotEqualTo("success");
        assertThat(TestJson.JSON.readTree(answer.body()).path("code").asText()).isEqualTo("0002");
        JsonNode kept = TestJson.JSON.readTree(HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + RECEIVER))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body());
        assertThat(kept.path("data").toString()).doesNotContain("huge-body");
    }

    @Test
    void aBodyCannotStartALineOfOurLog(CapturedOutput output) throws Exception {
        HttpResponse<String> answer = post("{\"teamId\":\"t\"}\nnotify task=1 team=forged attempt=1 delivered=true");

        assertThat(answer.body()).isEqualTo("success");
        assertThat(output.getOut().lines()).noneMatch(line -> line.startsWith("notify task=1 team=forged"));
    }

    private HttpResponse<String> post(String body) throws Exception {
        return TestJson.post(port, RECEIVER, body);
    }
}
