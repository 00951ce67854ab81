package com.groupbuy.market.infrastructure.gateway.mq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.groupbuy.market.domain.trade.model.valobj.CloseCheckVO;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * #19: the publisher reads a check's deadline and nominal delay from its body as a token stream, not a tree; it must
 * read them as the tree did ({@code path(field).asLong()}), for the bodies the outbox writes and the odd ones.
 */
class CloseCheckDeadlineTest {

    private final ObjectMapper tree = new ObjectMapper();

    @Test
    void readsTheBodiesLocksWrite() throws IOException {
        Instant closeAt = Instant.parse("2026-12-01T16:00:00.250Z");
        for (CloseCheckVO check : List.of(
                CloseCheckVO.teamExpiry("T1", closeAt, Duration.ofMinutes(15)),
                CloseCheckVO.unpaidOrder("T1", "O1", closeAt, Duration.ofSeconds(90)))) {
            CloseCheckPublisher.Deadline deadline = CloseCheckPublisher.readDeadline(check.toJson());

            assertThat(deadline.closeAt()).isEqualTo(closeAt);
            assertThat(deadline.nominal()).isEqualTo(check.delay());
            assertThat(deadline.bundleable()).isTrue();
        }
    }

    @Test
    void readsOddBodiesAsTheTreeDid() throws IOException {
        for (String body : List.of(
                "{\"delayMs\":5000,\"nested\":{\"closeAt\":1},\"list\":[1,{\"a\":2}],\"closeAt\":1764604800000}",
                "{\"closeAt\":\"1764604800000\",\"delayMs\":\"x\"}",
                "{\"closeAt\":1764604800000.9,\"delayMs\":true}",
                "{\"closeAt\":null}",
                "{\"closeAt\":1,\"closeAt\":2}",
                "{}",
                "[1,2]",
                "42",
                "{\"closeAt\":7} trailing")) {
            CloseCheckPublisher.Deadline deadline = CloseCheckPublisher.readDeadline(body);

            JsonNode node = tree.readTree(body);
            assertThat(deadline.closeAt())
                    .as(body)
                    .isEqualTo(Instant.ofEpochMilli(
                            node.path(CloseCheckVO.FIELD_CLOSE_AT).asLong()));
            assertThat(deadline.nominal())
                    .as(body)
                    .isEqualTo(Duration.ofMillis(
                            node.path(CloseCheckVO.FIELD_DELAY_MS).asLong()));
        }
    }

    /** Only a body that is one JSON object and nothing else may be embedded in a bundle's JSON. */
    @Test
    void onlyALoneObjectIsBundleable() throws IOException {
        assertThat(CloseCheckPublisher.readDeadline("{\"closeAt\":7,\"n\":{\"a\":[1]}}")
                        .bundleable())
                .isTrue();
        for (String body : List.of("{\"closeAt\":7} trailing", "{\"closeAt\":7}{}", "[1,2]", "42", "\"x\"")) {
            assertThat(CloseCheckPublisher.readDeadline(body).bundleable())
                    .as(body)
                    .isFalse();
        }
    }

    @Test
    void malformedBodiesFailAsTheTreeDid() {
        for (String body : List.of("{\"closeAt\":", "{\"closeAt\":1,", "{\"closeAt\" 1}", "{\"a\":[1,}")) {
            assertThatThrownBy(() -> tree.readTree(body)).as(body).isInstanceOf(IOException.class);
            assertThatThrownBy(() -> CloseCheckPublisher.readDeadline(body))
                    .as(body)
                    .isInstanceOf(IOException.class);
        }
    }
}
