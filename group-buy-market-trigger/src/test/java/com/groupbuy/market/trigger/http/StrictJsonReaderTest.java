package com.groupbuy.market.trigger.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.groupbuy.market.api.dto.LockMarketPayOrderRequestDTO;
import com.groupbuy.market.api.dto.SettlementMarketPayOrderRequestDTO;
import com.groupbuy.market.api.response.Response;
import com.groupbuy.market.trigger.http.admin.SwitchChangeRequest;
import com.groupbuy.market.types.exception.AppException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.mock.http.MockHttpInputMessage;

/**
 * What the strict reader refuses of a well-formed body (a scalar of the wrong type, a JSON null, a field an operator's
 * body does not have: 200 {@code 0002} naming the field) and of one that is not one JSON value (400), and where it
 * stops reading (past 64 KiB, {@code 0002}).
 */
class StrictJsonReaderTest {

    /** As Spring Boot's application mapper: a partner's unknown fields are ignored. */
    private final StrictJsonReader reader =
            new StrictJsonReader(new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES));

    private final GlobalExceptionHandler handler = new GlobalExceptionHandler();

    /** One field of each scalar kind the coercion rules name. */
    static final class Scalars {
        public String text;
        public Long whole;
        public Double fraction;
        public Boolean flag;
    }

    @Test
    void eachScalarIsReadOnlyFromItsOwnJsonType() throws Exception {
        Scalars read = (Scalars) read(Scalars.class, "{\"text\":\"t\",\"whole\":-7,\"fraction\":1.5,\"flag\":true}");
        assertThat(read.text).isEqualTo("t");
        assertThat(read.whole).isEqualTo(-7L);
        assertThat(read.fraction).isEqualTo(1.5);
        assertThat(read.flag).isTrue();

        String[][] wrong = {
            {"text", "1"},
            {"text", "1.9"},
            {"text", "true"},
            {"whole", "\"100123\""},
            {"whole", "\"\""},
            {"whole", "true"},
            {"whole", "1.9"},
            {"fraction", "\"1.5\""},
            {"fraction", "\"\""},
            {"fraction", "false"},
            {"flag", "1"},
            {"flag", "\"true\""},
        };
        for (String[] field : wrong) {
            ResponseEntity<Response<Void>> answer = refusedAs(Scalars.class, "{\"" + field[0] + "\":" + field[1] + "}");
            assertThat(answer.getStatusCode().value()).as("%s", (Object) field).isEqualTo(200);
            assertThat(answer.getBody().getCode()).isEqualTo("0002");
            assertThat(answer.getBody().getInfo()).as("%s", (Object) field).contains(field[0]);
        }
    }

    /** outTradeTime is the one field documented as text or epoch milliseconds; nothing else is it. */
    @Test
    void theSettlementTimeIsTextOrAWholeNumberOnly() throws Exception {
        SettlementMarketPayOrderRequestDTO text = (SettlementMarketPayOrderRequestDTO)
                read(SettlementMarketPayOrderRequestDTO.class, "{\"outTradeTime\":\"2026-12-07 10:00:00\"}");
        SettlementMarketPayOrderRequestDTO millis = (SettlementMarketPayOrderRequestDTO)
                read(SettlementMarketPayOrderRequestDTO.class, "{\"outTradeTime\":1796637600000}");
        assertThat(text.getOutTradeTime()).isEqualTo("2026-12-07 10:00:00");
        assertThat(millis.getOutTradeTime()).isEqualTo("1796637600000");

        for (String value : new String[] {"1.5", "true", "{}", "[1]"}) {
            ResponseEntity<Response<Void>> answer =
                    refusedAs(SettlementMarketPayOrderRequestDTO.class, "{\"outTradeTime\":" + value + "}");
            assertThat(answer.getStatusCode().value()).as(value).isEqualTo(200);
            assertThat(answer.getBody().getInfo()).as(value).contains("outTradeTime");
        }
    }

    @Test
    void aJsonNullBodyIsAFieldErrorNotAMissingBody() {
        ResponseEntity<Response<Void>> answer = refusedAs(LockMarketPayOrderRequestDTO.class, "null");

        assertThat(answer.getStatusCode().value()).isEqualTo(200);
        assertThat(answer.getBody().getCode()).isEqualTo("0002");
    }

    @Test
    void anythingButWhitespaceAfterTheValueIsNotJson() throws Exception {
        assertThat(read(LockMarketPayOrderRequestDTO.class, "{\"userId\":\"u\"} \r\n\t"))
                .isNotNull();
        for (String body : new String[] {"{\"userId\":\"u\"}}", "{\"userId\":\"u\"}{\"userId\":\"v\"}"}) {
            ResponseEntity<Response<Void>> answer = refusedAs(LockMarketPayOrderRequestDTO.class, body);
            assertThat(answer.getStatusCode().value()).as(body).isEqualTo(400);
            assertThat(answer.getBody().getInfo()).isEqualTo("illegal parameter: body is not valid JSON");
        }
    }

    /** A partner's unknown field is ignored; an operator's body ({@link KnownFieldsOnly}) refuses it by name. */
    @Test
    void onlyAKnownFieldsOnlyBodyRefusesAFieldItDoesNotHave() throws Exception {
        LockMarketPayOrderRequestDTO lock = (LockMarketPayOrderRequestDTO)
                read(LockMarketPayOrderRequestDTO.class, "{\"extra\":{\"userId\":\"x\",\"n\":[1]},\"userId\":\"u\"}");
        assertThat(lock.getUserId()).isEqualTo("u");

        ResponseEntity<Response<Void>> answer =
                refusedAs(SwitchChangeRequest.class, "{\"value\":\"1\",\"dryRun\":true}");
        assertThat(answer.getStatusCode().value()).isEqualTo(200);
        assertThat(answer.getBody().getInfo())
                .isEqualTo("illegal parameter: 'dryRun' is not a field of this request (names are case-sensitive);"
                        + " nothing done");
        SwitchChangeRequest known =
                (SwitchChangeRequest) read(SwitchChangeRequest.class, "{\"value\":\"1\",\"operator\":\"o\"}");
        assertThat(known.getValue()).isEqualTo("1");
    }

    /** Read as it arrives: 64 KiB is read, a byte more is refused as too large whatever follows. */
    @Test
    void aBodyIsReadUpTo64KiBAndNoFurther() throws Exception {
        String json = "{\"userId\":\"u\"}";
        String atLimit = json + " ".repeat(StrictJsonReader.MAX_BODY_BYTES - json.length());
        assertThat(((LockMarketPayOrderRequestDTO) read(LockMarketPayOrderRequestDTO.class, atLimit)).getUserId())
                .isEqualTo("u");

        assertThatThrownBy(() -> read(LockMarketPayOrderRequestDTO.class, atLimit + " "))
                .isInstanceOf(AppException.class)
                .hasMessage("0002 illegal parameter: the body is larger than 64 KiB");
    }

    /** A body the signature check read (and bounded) already is read from memory as it stands. */
    @Test
    void aBodyReadAlreadyIsReadFromMemory() throws Exception {
        HttpHeaders headers = new HttpHeaders();
        headers.setContentType(MediaType.APPLICATION_JSON);
        BodyBytes kept = new BodyBytes(headers, "{\"userId\":\"kept\"}".getBytes(StandardCharsets.UTF_8));

        Object read = reader.read(LockMarketPayOrderRequestDTO.class, null, kept);

        assertThat(((LockMarketPayOrderRequestDTO) read).getUserId()).isEqualTo("kept");
    }

    @Test
    void itNeverWritesAnAnswer() {
        assertThat(reader.canWrite(LockMarketPayOrderRequestDTO.class, MediaType.APPLICATION_JSON))
                .isFalse();
        assertThat(reader.canWrite(LockMarketPayOrderRequestDTO.class, LockMarketPayOrderRequestDTO.class, null))
                .isFalse();
        assertThat(reader.canRead(LockMarketPayOrderRequestDTO.class, MediaType.APPLICATION_JSON))
                .isTrue();
    }

    private Object read(Class<?> type, String body) throws Exception {
        MockHttpInputMessage message = new MockHttpInputMessage(body.getBytes(StandardCharsets.UTF_8));
        message.getHeaders().setContentType(MediaType.APPLICATION_JSON);
        return reader.read(type, null, message);
    }

    private ResponseEntity<Response<Void>> refusedAs(Class<?> type, String body) {
        HttpMessageNotReadableException refused =
                catchThrowableOfType(() -> read(type, body), HttpMessageNotReadableException.class);
        assertThat(refused).as(body).isNotNull();
        return handler.unreadable(refused);
    }
}
