package com.groupbuy.market.trigger.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.groupbuy.market.api.dto.LockMarketPayOrderRequestDTO;
import com.groupbuy.market.api.response.Response;
import org.junit.jupiter.api.Test;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.mock.http.MockHttpInputMessage;

/**
 * A field given twice is well-formed JSON refused as a field error: 200 {@code 0002} naming it, as docs/api.md says,
 * whatever the field's name. A name over 64 characters, or holding a {@code '}, was answered 400 "body is not valid
 * JSON" or named wrongly ("a appears more than once" for {@code a'b}).
 */
class DuplicateFieldAnswerTest {

    private final GlobalExceptionHandler handler = new GlobalExceptionHandler();

    @Test
    void aKnownFieldGivenTwiceIsNamed() throws Exception {
        ResponseEntity<Response<Void>> answer = answer("{\"userId\":\"a\",\"userId\":\"b\"}");

        assertThat(answer.getStatusCode().value()).isEqualTo(200);
        assertThat(answer.getBody().getCode()).isEqualTo("0002");
        assertThat(answer.getBody().getInfo()).isEqualTo("illegal parameter: userId appears more than once");
    }

    @Test
    void anyFieldGivenTwiceIsAFieldErrorNamedAsSent() throws Exception {
        String longName = "n".repeat(70);
        ResponseEntity<Response<Void>> long_ = answer("{\"" + longName + "\":1,\"" + longName + "\":2}");
        ResponseEntity<Response<Void>> quoted = answer("{\"a'b\":1,\"a'b\":2}");

        assertThat(long_.getStatusCode().value()).isEqualTo(200);
        assertThat(long_.getBody().getCode()).isEqualTo("0002");
        assertThat(long_.getBody().getInfo()).contains("'" + "n".repeat(ShownName.MAX_SHOWN) + "...'");
        assertThat(quoted.getStatusCode().value()).isEqualTo(200);
        assertThat(quoted.getBody().getInfo()).isEqualTo("illegal parameter: 'a'b' appears more than once");
    }

    private ResponseEntity<Response<Void>> answer(String body) throws Exception {
        // As Spring Boot's application mapper: a partner's unknown fields are ignored.
        ObjectMapper strict =
                StrictJsonReader.strict(new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES));
        Throwable refused = catchThrowable(() -> strict.readValue(body, LockMarketPayOrderRequestDTO.class));
        assertThat(refused).as(body).isNotNull();
        return handler.unreadable(new HttpMessageNotReadableException(
                "JSON parse error", refused, new MockHttpInputMessage(new byte[0])));
    }
}
