package com.groupbuy.market.config.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import com.groupbuy.market.types.enums.ResponseCode;
import com.groupbuy.market.types.exception.AppException;
import io.swagger.v3.oas.models.media.Schema;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The string shape the OpenAPI description publishes for {@code outTradeTime} takes what the service's parser
 * ({@code WireTime.parseTradeTime}) takes: a client validating against our schema must not refuse a time we accept.
 * The published pattern allowed only "yyyy-MM-dd HH:mm:ss", while the service also takes epoch milliseconds as a
 * string and spaces around either shape (docs/api.md). Where the pattern does refuse, the parser refuses too.
 */
class OutTradeTimeSchemaTest {

    private static Method parse;
    private static Pattern pattern;
    private static Integer maxLength;

    @BeforeAll
    static void published() throws Exception {
        // The parser is the trigger module's own (package-private): called as the controller calls it.
        parse = Class.forName("com.groupbuy.market.trigger.http.WireTime")
                .getDeclaredMethod("parseTradeTime", String.class, String.class);
        parse.setAccessible(true);
        Schema<?> text = PartnerFieldDocs.outTradeTime().getOneOf().stream()
                .filter(shape -> "string".equals(shape.getType()))
                .findFirst()
                .orElseThrow();
        pattern = Pattern.compile(text.getPattern());
        maxLength = text.getMaxLength();
    }

    @Test
    void everyStringTheServiceTakesMatchesThePublishedShape() throws Exception {
        List<String> taken = new ArrayList<>(List.of(
                "2026-11-22 21:00:00",
                " 2026-11-22 21:00:00 ",
                "1795870800000",
                " 1795870800000",
                "1795870800000   ",
                "0",
                "0000000000001",
                "1970-01-01 08:00:00",
                "2024-02-29 23:59:59",
                "9999-12-31 23:59:59",
                "      2026-11-22 21:00:00       " /* 32 characters */));
        // And a few thousand more of both shapes, with spaces around some.
        Random random = new Random(20261205);
        DateTimeFormatter format =
                DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss").withZone(ZoneId.of("Asia/Shanghai"));
        for (int i = 0; i < 2000; i++) {
            long millis = (long) (random.nextDouble() * 253_402_271_999_000L);
            String pad = " ".repeat(random.nextInt(4));
            taken.add(pad + format.format(Instant.ofEpochMilli(millis)) + pad);
            taken.add(pad + (millis % (long) Math.pow(10, 1 + random.nextInt(13))) + pad);
        }
        List<String> refusedBySchema = new ArrayList<>();
        for (String value : taken) {
            assertThat(takes(value)).as("the service takes '%s'", value).isTrue();
            if (!schemaTakes(value)) {
                refusedBySchema.add(value);
            }
        }
        assertThat(refusedBySchema)
                .as("strings the service takes that the published schema refuses")
                .isEmpty();
    }

    @Test
    void whatThePublishedShapeRefusesTheServiceRefusesToo() throws Exception {
        List<String> refused = List.of(
                "2026-11-22T21:00:00",
                "2026-11-22 21:00",
                "2026-1-2 21:00:00",
                "2026-11-22 24:00:00",
                "2026-11-22 23:60:00",
                "2026-13-01 10:00:00",
                "2026-11-32 10:00:00",
                "1969-12-31 23:59:59",
                "+10000-01-02 00:00:00",
                "\uFF12\uFF10\uFF12\uFF16-11-22 21:00:00",
                "12345678901234",
                "-1",
                "1.7952E12",
                "\t1795870800000",
                "2026-11-22 21:00:00\u3000",
                "       2026-11-22 21:00:00       " /* 33 characters */);
        for (String value : refused) {
            assertThat(schemaTakes(value)).as("the schema takes '%s'", value).isFalse();
            assertThat(takes(value)).as("the service takes '%s'", value).isFalse();
        }
        // What a pattern cannot say, the description does: a real date, not before the epoch.
        for (String value : List.of("2026-02-30 10:00:00", "2025-02-29 10:00:00", "1970-01-01 07:59:59")) {
            assertThat(takes(value)).as("the service takes '%s'", value).isFalse();
        }
        assertThat(PartnerFieldDocs.outTradeTime().getOneOf().get(0).getDescription())
                .contains("a real date and time", "not before 1970-01-01 08:00:00");
    }

    private static boolean schemaTakes(String value) {
        return (maxLength == null || value.length() <= maxLength)
                && pattern.matcher(value).find();
    }

    private static boolean takes(String value) throws Exception {
        try {
            parse.invoke(null, "outTradeTime", value);
            return true;
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof AppException refusal
                    && ResponseCode.ILLEGAL_PARAMETER.getCode().equals(refusal.getCode())) {
                return false;
            }
            throw e;
        }
    }
}
