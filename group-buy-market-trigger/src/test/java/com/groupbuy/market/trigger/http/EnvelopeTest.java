package com.groupbuy.market.trigger.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.groupbuy.market.api.response.Response;
import org.junit.jupiter.api.Test;

/** The envelope written outside Spring MVC is exactly {@code {code, info, data}}, ASCII, whatever the info holds. */
class EnvelopeTest {

    @Test
    void theJsonEnvelopeEscapesWhatJsonNeedsAndAnythingButPrintableAscii() throws Exception {
        String info = "a\"b\\c\n\u001f\u007f é 用 ~";
        String json = Envelope.json("0002", info);

        assertThat(json)
                .isEqualTo("{\"code\":\"0002\",\"info\":\"a\\\"b\\\\c\\u000a\\u001f\\u007f \\u00e9 \\u7528 ~\","
                        + "\"data\":null}");
        JsonNode read = new ObjectMapper().readTree(json);
        assertThat(read.get("code").asText()).isEqualTo("0002");
        assertThat(read.get("info").asText()).isEqualTo(info);
        assertThat(read.get("data").isNull()).isTrue();
    }

    @Test
    void successAndFailureAreTheEnvelopesOfTheirCodes() {
        Response<String> success = Envelope.success("d");
        assertThat(success.getCode()).isEqualTo("0000");
        assertThat(success.getInfo()).isNotEmpty();
        assertThat(success.getData()).isEqualTo("d");

        Response<String> failure = Envelope.failure("0002", "why");
        assertThat(failure.getCode()).isEqualTo("0002");
        assertThat(failure.getInfo()).isEqualTo("why");
        assertThat(failure.getData()).isNull();
    }
}
