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
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Every answer is the envelope {@code {code, info, data}}, whatever the request's {@code Accept}: the demo MQ
 * listener's listing ({@code GET /api/v1/test/group_buy_mq}, served on every profile but prod) answered a bare JSON
 * array, the one endpoint of ours whose answer had no {@code code} to read.
 */
@SharedContextIntegrationTest
class DemoMqListingEnvelopeIT {

    @LocalServerPort
    int port;

    @Test
    void theDemoMqListenersListingIsTheEnvelopeWhateverTheAcceptHeader() throws Exception {
        for (String accept : new String[] {null, "application/json", "*/*", "text/html", "application/xml"}) {
            HttpRequest.Builder request = HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + port + "/api/v1/test/group_buy_mq"))
                    .GET();
            if (accept != null) {
                request.header("Accept", accept);
            }
            HttpResponse<String> answer =
                    HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());

            assertThat(answer.statusCode())
                    .as("Accept %s: %s", accept, answer.body())
                    .isEqualTo(200);
            JsonNode body = TestJson.JSON.readTree(answer.body());
            assertThat(body.isObject())
                    .as("Accept %s: %s", accept, answer.body())
                    .isTrue();
            assertThat(TestJson.fields(body)).as("Accept %s", accept).containsExactly("code", "info", "data");
            assertThat(body.path("code").asText()).isEqualTo("0000");
            assertThat(body.path("data").isArray())
                    .as("the messages received: %s", answer.body())
                    .isTrue();
        }
    }
}
