package com.groupbuy.market.config.openapi;

import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import java.util.List;
import java.util.Map;

/**
 * The rules of each wire field that the Java types alone do not say (lengths, required, the two shapes of
 * {@code outTradeTime}, {@code teamId} null or ""), applied to the generated schemas by name. What is written here is
 * what {@code RequestCheck} and {@code WireTime} in the trigger module enforce.
 */
final class PartnerFieldDocs {

    /** A field: required or not, a maximum length (0 = none), a description, an example. */
    record Field(boolean required, int maxLength, String description, Object example) {}

    /**
     * The string shape of {@code outTradeTime}, as {@code WireTime} reads it: 1 to 13 ASCII digits of epoch
     * milliseconds, or "yyyy-MM-dd HH:mm:ss" with each field in its range and a year from 1970, either with spaces
     * around it (they are dropped). What a pattern cannot say (a real date: no February 30th; not before 1970-01-01
     * 08:00:00) the description does. Written for both ECMA-262 (JSON Schema) and java.util.regex.
     */
    static final String TIME_PATTERN = "^ *(?:[0-9]{1,13}|(?:19[7-9][0-9]|[2-9][0-9]{3})-(?:0[1-9]|1[0-2])-"
            + "(?:0[1-9]|[12][0-9]|3[01]) (?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]) *$";

    /** At most this many characters as sent, spaces around the time included ({@code WireTime}). */
    static final int TIME_MAX_LENGTH = 32;

    /** A team's {@code validTimeCountdown}: hours not capped (two digits or more), minutes and seconds 00-59. */
    static final String COUNTDOWN_PATTERN = "^[0-9]{2,}:[0-5][0-9]:[0-5][0-9]$";

    static final Map<String, Map<String, Field>> FIELDS = Map.of(
            "GoodsMarketRequestDTO",
                    Map.of(
                            "userId", new Field(true, 32, "the buyer, as the mall names them; compared exactly", "u1"),
                            "source",
                                    new Field(
                                            true, 16, "the partner's source (with channel: who the partner is)", "s01"),
                            "channel", new Field(true, 16, "the partner's channel", "c01"),
                            "goodsId", new Field(true, 16, "the goods on the product page", "9890001")),
            "LockMarketPayOrderRequestDTO",
                    Map.of(
                            "userId", new Field(true, 32, "the buyer", "u1"),
                            "teamId",
                                    new Field(
                                            false,
                                            8,
                                            "the team to join; **null or \"\" opens a new team** "
                                                    + "(both accepted, same meaning)",
                                            ""),
                            "activityId", new Field(true, 0, "the activity (JSON integer; a string is 0002)", 100123),
                            "goodsId", new Field(true, 16, "the goods", "9890001"),
                            "source", new Field(true, 16, "the partner's source", "s01"),
                            "channel", new Field(true, 16, "the partner's channel", "c01"),
                            "outTradeNo",
                                    new Field(
                                            true,
                                            32,
                                            "the mall's own trade number: the idempotency key (with user, "
                                                    + "source and channel)",
                                            "100000000001"),
                            "notifyConfigVO",
                                    new Field(
                                            false,
                                            0,
                                            "how the team's outcome is told (current malls); "
                                                    + "when absent, `notifyUrl` is required (HTTP)",
                                            null),
                            "notifyUrl",
                                    new Field(
                                            false,
                                            512,
                                            "flat callback URL of older malls (HTTP); ignored when "
                                                    + "`notifyConfigVO` is given",
                                            "https://mall.example/api/group_buy_notify")),
            "NotifyConfigVO",
                    Map.of(
                            "notifyType", new Field(false, 0, "`HTTP` (default when null) or `MQ`", "HTTP"),
                            "notifyUrl",
                                    new Field(
                                            false,
                                            512,
                                            "required for HTTP: a public http(s) URL (E0204 otherwise)",
                                            "https://mall.example/api/group_buy_notify"),
                            "notifyMQ",
                                    new Field(
                                            false,
                                            64,
                                            "MQ only: recorded as given; the routing keys stay ours "
                                                    + "(`topic.team_success`, `topic.team_refund`)",
                                            null)),
            "SettlementMarketPayOrderRequestDTO",
                    Map.of(
                            "source", new Field(true, 16, "the partner's source", "s01"),
                            "channel", new Field(true, 16, "the partner's channel", "c01"),
                            "userId", new Field(true, 32, "the buyer", "u1"),
                            "outTradeNo", new Field(true, 32, "the trade number the lock used", "100000000001")),
            "RefundMarketPayOrderRequestDTO",
                    Map.of(
                            "userId", new Field(true, 32, "the buyer", "u1"),
                            "outTradeNo", new Field(true, 32, "the trade number the lock used", "100000000001"),
                            "source", new Field(true, 16, "the partner's source", "s01"),
                            "channel", new Field(true, 16, "the partner's channel", "c01")));

    private PartnerFieldDocs() {}

    /**
     * {@code outTradeTime}: a JSON string, "yyyy-MM-dd HH:mm:ss" in UTC+8 (a real date and time; ASCII digits) or the
     * ASCII digits of epoch milliseconds (up to 13), at most 32 characters with spaces around it ignored; or a JSON
     * integer of epoch milliseconds (up to 13 digits); either from the epoch on. Anything else is 0002.
     */
    @SuppressWarnings("rawtypes")
    static Schema<?> outTradeTime() {
        Schema<?> text = new StringSchema()
                .pattern(TIME_PATTERN)
                .maxLength(TIME_MAX_LENGTH)
                .example("2026-11-22 21:00:00")
                .description("either local time \"yyyy-MM-dd HH:mm:ss\" in UTC+8 (Asia/Shanghai): a real date and "
                        + "time, ASCII digits, a four-digit year, not before 1970-01-01 08:00:00 (epoch 0); or epoch "
                        + "milliseconds written as 1 to 13 ASCII digits (\"1795870800000\"). Spaces around either are "
                        + "ignored (\" 2026-11-22 21:00:00 \"); at most 32 characters as sent, spaces included");
        Schema<?> epoch = new IntegerSchema()
                .format("int64")
                .minimum(java.math.BigDecimal.ZERO)
                .maximum(new java.math.BigDecimal("9999999999999"))
                .example(1795870800000L)
                .description("epoch milliseconds (JSON integer, up to 13 digits; a fraction or exponent form is 0002)");
        Schema<?> either = new Schema<>();
        either.setOneOf(List.<Schema>of(text, epoch));
        either.setDescription("when the buyer paid: **either** a string (\"yyyy-MM-dd HH:mm:ss\" in UTC+8, or epoch "
                + "milliseconds in ASCII digits; spaces around it ignored; at most 32 characters) **or** an integer "
                + "of epoch milliseconds; it must fall inside the team's validity window (E0106 otherwise)");
        either.setExample("2026-11-22 21:00:00");
        return either;
    }

    /**
     * A trial team's times, as {@code TeamVO} and {@code WireTime} write them: the countdown's hours are not capped
     * at 24, so it is no time of day.
     */
    static void describeTeamTimes(Schema<?> team) {
        if (team == null || team.getProperties() == null) {
            return;
        }
        Schema<?> countdown = team.getProperties().get("validTimeCountdown");
        if (countdown != null) {
            countdown.setPattern(COUNTDOWN_PATTERN);
            countdown.setExample("00:12:31");
            countdown.setDescription("time left until the team closes, hours:minutes:seconds; the hours are not "
                    + "capped at 24 and have two digits or more (`36:00:00`, three digits from 100 h: `100:00:00`); "
                    + "never negative: `00:00:00` once the team's end has passed");
        }
        for (String name : List.of("validStartTime", "validEndTime")) {
            Schema<?> time = team.getProperties().get(name);
            if (time != null) {
                time.setDescription("\"yyyy-MM-dd HH:mm:ss\" in UTC+8 (Asia/Shanghai)");
            }
        }
    }
}
