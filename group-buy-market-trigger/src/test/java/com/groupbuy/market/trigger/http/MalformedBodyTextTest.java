package com.groupbuy.market.trigger.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.groupbuy.market.api.dto.LockMarketPayOrderRequestDTO;
import com.groupbuy.market.api.response.Response;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.mock.http.MockHttpInputMessage;

/**
 * A body that is not text in its charset is refused as not JSON (400 {@code 0002}), before any field is read.
 * Jackson's own UTF-8 reader took an overlong {@code C0 AE} as {@code .}, so {@code "u\xC0\xAE"} was the userId
 * {@code u.}: one identifier under two byte sequences, the bytes a partner signed and logged not the text we acted on
 * (read on main). An encoded surrogate and a lone continuation byte Jackson refused already; they pin the same answer.
 */
class MalformedBodyTextTest {

    private final StrictJsonReader reader =
            new StrictJsonReader(new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES));
    private final GlobalExceptionHandler handler = new GlobalExceptionHandler();

    @Test
    void anOverlongUtf8FormIsNotJson() throws Exception {
        assertNotJson(body("{\"userId\":\"u", 0xC0, 0xAE, "\"}"));
    }

    @Test
    void anEncodedSurrogateIsNotJson() throws Exception {
        assertNotJson(body("{\"userId\":\"u", 0xED, 0xA0, 0x80, "\"}"));
    }

    @Test
    void aLoneContinuationByteIsNotJson() throws Exception {
        assertNotJson(body("{\"userId\":\"u", 0x80, "\"}"));
    }

    /** Checked as UTF-16 (valid there), it was read as UTF-8 by Jackson's own guess: {@code C1 B5} became {@code u}. */
    @Test
    void utf8NamedUtf16IsReadAsUtf16AndIsNotJson() throws Exception {
        assertNotJson(
                body("{\"userId\":\"", 0xC1, 0xB5, "x\"}"),
                MediaType.parseMediaType("application/json;charset=UTF-16"));
    }

    @Test
    void aRawNulIsNotJson() throws Exception {
        assertNotJson("{\"userId\":\"u1\"}".getBytes(StandardCharsets.UTF_16BE), MediaType.APPLICATION_JSON);
    }

    @Test
    void wellFormedTextIsReadInItsCharset() throws Exception {
        LockMarketPayOrderRequestDTO utf8 = (LockMarketPayOrderRequestDTO) reader.read(
                LockMarketPayOrderRequestDTO.class,
                null,
                json("{\"userId\":\"用户-é\"}".getBytes(StandardCharsets.UTF_8), MediaType.APPLICATION_JSON));
        assertThat(utf8.getUserId()).isEqualTo("用户-é");

        MockHttpInputMessage latin1 = json(
                "{\"userId\":\"é\"}".getBytes(StandardCharsets.ISO_8859_1),
                MediaType.parseMediaType("application/json;charset=ISO-8859-1"));
        LockMarketPayOrderRequestDTO read =
                (LockMarketPayOrderRequestDTO) reader.read(LockMarketPayOrderRequestDTO.class, null, latin1);
        assertThat(read.getUserId()).isEqualTo("é");
    }

    private void assertNotJson(byte[] body) throws Exception {
        assertNotJson(body, MediaType.APPLICATION_JSON);
    }

    private void assertNotJson(byte[] body, MediaType type) throws Exception {
        HttpMessageNotReadableException refused = catchThrowableOfType(
                () -> reader.read(LockMarketPayOrderRequestDTO.class, null, json(body, type)),
                HttpMessageNotReadableException.class);
        assertThat(refused)
                .as("read as %s", new String(body, StandardCharsets.ISO_8859_1))
                .isNotNull();
        ResponseEntity<Response<Void>> answer = handler.unreadable(refused);
        assertThat(answer.getStatusCode().value()).isEqualTo(400);
        assertThat(answer.getBody().getCode()).isEqualTo("0002");
        assertThat(answer.getBody().getInfo()).isEqualTo("illegal parameter: body is not valid JSON");
    }

    private static MockHttpInputMessage json(byte[] body, MediaType type) {
        MockHttpInputMessage message = new MockHttpInputMessage(body);
        message.getHeaders().setContentType(type);
        return message;
    }

    /** Text parts as UTF-8, int parts as single raw bytes. */
    private static byte[] body(Object... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object part : parts) {
            if (part instanceof Integer b) {
                out.write(b);
            } else {
                out.writeBytes(part.toString().getBytes(StandardCharsets.UTF_8));
            }
        }
        return out.toByteArray();
    }
}
