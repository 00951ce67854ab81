package com.groupbuy.market.trigger.http;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.deser.DeserializationProblemHandler;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.groupbuy.market.api.dto.SettlementMarketPayOrderRequestDTO;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Type;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpInputMessage;
import org.springframework.http.MediaType;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.http.converter.json.MappingJackson2HttpMessageConverter;

/**
 * Reads request bodies with a strict copy of the application's ObjectMapper and never writes (answers keep the
 * shared converter, so what we send is unchanged). Jackson by default turns {@code "source":1} or {@code true} into
 * the text "1"/"true", {@code "activityId":"100123"} into a number and {@code 1.9} into 1: a partner sending the
 * wrong type would then act on a value it never wrote. Here each of those is a mapping error naming the field,
 * answered {@code 0002} before anything else (the signature check included) looks at the request. A field given
 * twice is refused too, and so is anything but whitespace after the body's one JSON value (Jackson would otherwise
 * stop at the first value and act on it: {@code {...}}} or {@code {...}{...}} is not JSON, answered 400), so the mall
 * and we cannot read different values out of one body. A body past {@link #MAX_BODY_BYTES} is refused ({@code 0002})
 * as soon as the reader gets there, signed or not: Jackson would otherwise read an unknown field of any size to the
 * end and act on the rest.
 */
public class StrictJsonReader extends MappingJackson2HttpMessageConverter {

    /** Every body we read is a few hundred bytes; the signature check holds at most as much in memory. */
    public static final int MAX_BODY_BYTES = 64 * 1024;

    public StrictJsonReader(ObjectMapper applicationMapper) {
        super(strict(applicationMapper));
    }

    /** The application's mapper (modules, unknown-field handling) with every scalar coercion turned off. */
    static ObjectMapper strict(ObjectMapper applicationMapper) {
        ObjectMapper strict = applicationMapper.copy();
        strict.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        strict.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        for (CoercionInputShape shape : new CoercionInputShape[] {
            CoercionInputShape.Integer, CoercionInputShape.Float, CoercionInputShape.Boolean
        }) {
            strict.coercionConfigFor(LogicalType.Textual).setCoercion(shape, CoercionAction.Fail);
        }
        for (LogicalType number : new LogicalType[] {LogicalType.Integer, LogicalType.Float}) {
            for (CoercionInputShape shape : new CoercionInputShape[] {
                CoercionInputShape.String, CoercionInputShape.EmptyString, CoercionInputShape.Boolean
            }) {
                strict.coercionConfigFor(number).setCoercion(shape, CoercionAction.Fail);
            }
        }
        strict.coercionConfigFor(LogicalType.Integer).setCoercion(CoercionInputShape.Float, CoercionAction.Fail);
        strict.coercionConfigFor(LogicalType.Boolean).setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
        strict.coercionConfigFor(LogicalType.Boolean).setCoercion(CoercionInputShape.String, CoercionAction.Fail);
        strict.addMixIn(SettlementMarketPayOrderRequestDTO.class, SettlementTimeEitherShape.class);
        strict.addHandler(new UnknownFieldRefusal());
        return strict;
    }

    @Override
    public boolean canWrite(Class<?> clazz, MediaType mediaType) {
        return false;
    }

    @Override
    public boolean canWrite(Type type, Class<?> clazz, MediaType mediaType) {
        return false;
    }

    /** A JSON {@code null} body is JSON but not the object every endpoint needs: a field error, not "no body". */
    @Override
    public Object read(Type type, Class<?> contextClass, HttpInputMessage inputMessage)
            throws IOException, HttpMessageNotReadableException {
        // A body the signature check read already (bounded there) is not read and copied a second time.
        BodyBytes body = inputMessage instanceof BodyBytes read
                ? read
                : new BodyBytes(
                        inputMessage.getHeaders(),
                        new Bounded(inputMessage).getBody().readAllBytes());
        Object value = super.read(type, contextClass, asUtf8Text(body, inputMessage));
        if (value == null) {
            throw new HttpMessageNotReadableException(
                    "JSON body is null",
                    MismatchedInputException.from(
                            null, type instanceof Class<?> c ? c : Object.class, "the body must be a JSON object"),
                    inputMessage);
        }
        return value;
    }

    /**
     * The body must be text in its charset (UTF-8 unless the Content-Type names another) by that charset's own rules,
     * and it is read as that text and nothing else. Jackson's UTF-8 reader decodes overlong forms ({@code C0 AE} as
     * {@code .}), so one identifier could arrive as two byte sequences, and what a partner signed and logged would
     * differ from what we act on; the JDK's decoder refuses them, as it refuses any malformed or unmappable byte.
     * Refused like any body that is not JSON: 400 {@code 0002}, nothing read.
     *
     * <p>Spring's converter hands a body it takes for Unicode (UTF-8, -16, -32, whatever the Content-Type says of its
     * byte order) to Jackson as bytes, and Jackson picks the encoding itself from the first bytes: a body named
     * {@code charset=UTF-16} that was checked as UTF-16 was read as UTF-8, overlong forms and all ({@code C1 B5 78}
     * locked the user {@code ux}), and a UTF-16 body named nothing (so UTF-8) was read as UTF-16. So the text checked
     * here is what Jackson reads: as UTF-8 bytes without a NUL byte, from which Jackson can only detect UTF-8 (it
     * detects UTF-16 and -32 by their zero bytes). A raw U+0000 is never JSON text (JSON escapes it inside a string
     * and allows it nowhere else), so a body holding one is refused as not JSON.
     */
    private static BodyBytes asUtf8Text(BodyBytes body, HttpInputMessage message) {
        MediaType contentType = message.getHeaders().getContentType();
        Charset charset = contentType == null || contentType.getCharset() == null
                ? StandardCharsets.UTF_8
                : contentType.getCharset();
        CharBuffer text;
        try {
            text = charset.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body.bytes()));
        } catch (CharacterCodingException e) {
            throw notJson(charset, "the body is not " + charset.name() + " text: " + e, message);
        }
        for (int i = text.position(); i < text.limit(); i++) {
            if (text.get(i) == 0) {
                throw notJson(charset, "the body holds a raw NUL character at " + i, message);
            }
        }
        if (StandardCharsets.UTF_8.equals(charset)) {
            // The bytes are the text already (a UTF-8 BOM included, which Jackson skips).
            return body;
        }
        ByteBuffer utf8 = StandardCharsets.UTF_8.encode(text);
        byte[] bytes = new byte[utf8.remaining()];
        utf8.get(bytes);
        HttpHeaders headers = new HttpHeaders();
        headers.putAll(body.getHeaders());
        headers.setContentType(
                new MediaType(contentType == null ? MediaType.APPLICATION_JSON : contentType, StandardCharsets.UTF_8));
        return new BodyBytes(headers, bytes);
    }

    private static HttpMessageNotReadableException notJson(Charset charset, String why, HttpInputMessage message) {
        return new HttpMessageNotReadableException(
                "body is not " + charset.name() + " JSON text", new JsonParseException(null, why), message);
    }

    /** The request's body, refused with {@code 0002} once more than {@link #MAX_BODY_BYTES} have been read of it. */
    private record Bounded(HttpInputMessage message) implements HttpInputMessage {
        @Override
        public InputStream getBody() throws IOException {
            return new FilterInputStream(message.getBody()) {
                private long read;

                @Override
                public int read() throws IOException {
                    int b = super.read();
                    count(b < 0 ? 0 : 1);
                    return b;
                }

                @Override
                public int read(byte[] buffer, int offset, int length) throws IOException {
                    int n = super.read(buffer, offset, length);
                    count(Math.max(n, 0));
                    return n;
                }

                private void count(int n) {
                    read += n;
                    if (read > MAX_BODY_BYTES) {
                        // Not an IOException: Spring would report that as a body that is not JSON (400).
                        throw tooLarge();
                    }
                }
            };
        }

        @Override
        public HttpHeaders getHeaders() {
            return message.getHeaders();
        }
    }

    /**
     * A body this reader would read whose {@code Content-Length} is past {@link #MAX_BODY_BYTES}, refused before a
     * byte of it is read: the answer reading it gives, without asking a client that sent {@code Expect:
     * 100-continue} for its body (the connector sends the 100 at the first read, and Spring's empty-body check reads
     * a byte before any converter runs). This reader takes every JSON body but text and bytes, which Spring's earlier
     * converters take.
     *
     * @param contentLength the declared length, -1 for none (chunked bodies are bounded as they are read)
     */
    public static void refuseDeclaredTooLarge(Class<?> type, String contentType, long contentLength) {
        if (contentLength > MAX_BODY_BYTES && type != String.class && type != byte[].class && json(contentType)) {
            throw tooLarge();
        }
    }

    private static boolean json(String contentType) {
        try {
            MediaType type = MediaType.parseMediaType(contentType);
            return MediaType.APPLICATION_JSON.isCompatibleWith(type)
                    || new MediaType("application", "*+json").isCompatibleWith(type);
        } catch (RuntimeException e) {
            return false;
        }
    }

    static RuntimeException tooLarge() {
        return RequestCheck.illegal("the body is larger than " + MAX_BODY_BYTES / 1024 + " KiB");
    }

    /**
     * A field a {@link KnownFieldsOnly} body does not have is a mapping error naming it. Jackson asks the problem
     * handlers before it looks at {@code FAIL_ON_UNKNOWN_PROPERTIES} (off: partners' unknown fields are ignored).
     */
    static final class UnknownFieldRefusal extends DeserializationProblemHandler {
        @Override
        public boolean handleUnknownProperty(
                DeserializationContext context,
                JsonParser parser,
                JsonDeserializer<?> deserializer,
                Object beanOrClass,
                String propertyName)
                throws IOException {
            Class<?> type = beanOrClass instanceof Class<?> c ? c : beanOrClass.getClass();
            if (!type.isAnnotationPresent(KnownFieldsOnly.class)) {
                return false;
            }
            throw UnrecognizedPropertyException.from(
                    parser,
                    beanOrClass,
                    propertyName,
                    deserializer == null ? null : deserializer.getKnownPropertyNames());
        }
    }

    /** {@code outTradeTime} is documented as text or epoch milliseconds, the one field where a number is a string. */
    abstract static class SettlementTimeEitherShape {
        @JsonDeserialize(using = TextOrWholeNumber.class)
        private String outTradeTime;
    }

    /** A JSON string as is, or a JSON integer as its decimal digits; anything else is the wrong type. */
    static final class TextOrWholeNumber extends JsonDeserializer<String> {
        @Override
        public String deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            JsonToken token = parser.currentToken();
            if (token == JsonToken.VALUE_STRING || token == JsonToken.VALUE_NUMBER_INT) {
                return parser.getText();
            }
            return (String) context.handleUnexpectedToken(String.class, parser);
        }
    }
}
