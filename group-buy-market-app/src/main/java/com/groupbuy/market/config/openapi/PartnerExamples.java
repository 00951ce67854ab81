package com.groupbuy.market.config.openapi;

import java.util.LinkedHashMap;
import java.util.Map;

/** Example requests and answers per partner endpoint, as a mall would send and receive them. */
final class PartnerExamples {

    /** One endpoint's examples: request bodies by name, answers by name. */
    record Examples(Map<String, String> requests, Map<String, String> answers) {}

    static final String TRIAL = "/api/v1/gbm/index/query_group_buy_market_config";
    static final String LOCK = "/api/v1/gbm/trade/lock_market_pay_order";
    static final String SETTLE = "/api/v1/gbm/trade/settlement_market_pay_order";
    static final String REFUND = "/api/v1/gbm/trade/refund_market_pay_order";

    static final Map<String, Examples> BY_PATH = Map.of(
            TRIAL,
                    new Examples(
                            ordered(
                                    "trial",
                                    "{\"userId\":\"u1\",\"source\":\"s01\",\"channel\":\"c01\",\"goodsId\":\"9890001\"}"),
                            ordered(
                                    "success",
                                    "{\"code\":\"0000\",\"info\":\"success\",\"data\":{\"activityId\":100123,"
                                            + "\"goods\":{\"goodsId\":\"9890001\",\"originalPrice\":100.00,\"deductionPrice\":20.00,\"payPrice\":80.00},"
                                            + "\"teamList\":[{\"teamId\":\"83532975\",\"userId\":\"u2\",\"activityId\":100123,\"targetCount\":3,"
                                            + "\"completeCount\":0,\"lockCount\":1,\"validStartTime\":\"2026-11-22 20:50:00\","
                                            + "\"validEndTime\":\"2026-11-22 21:05:00\",\"validTimeCountdown\":\"00:12:31\",\"outTradeNo\":null}],"
                                            + "\"teamStatistic\":{\"allTeamCount\":1,\"allTeamCompleteCount\":0,\"allTeamUserCount\":1},"
                                            + "\"isVisible\":true,\"isEnable\":true}}",
                                    "E0002 no configuration",
                                    "{\"code\":\"E0002\",\"info\":\"no group-buy configuration: goods 9890009 has no group-buy "
                                            + "activity through source s01 channel c01\",\"data\":null}")),
            LOCK,
                    new Examples(
                            ordered(
                                    "open a team (current malls)",
                                            "{\"userId\":\"u1\",\"teamId\":\"\",\"activityId\":100123,"
                                                    + "\"goodsId\":\"9890001\",\"source\":\"s01\",\"channel\":\"c01\",\"outTradeNo\":\"100000000001\","
                                                    + "\"notifyConfigVO\":{\"notifyType\":\"HTTP\",\"notifyUrl\":\"https://mall.example/api/group_buy_notify\"}}",
                                    "join a team (older malls, flat notifyUrl)",
                                            "{\"userId\":\"u2\",\"teamId\":\"83532975\","
                                                    + "\"activityId\":100123,\"goodsId\":\"9890001\",\"source\":\"s01\",\"channel\":\"c01\","
                                                    + "\"outTradeNo\":\"100000000002\",\"notifyUrl\":\"https://mall.example/api/group_buy_notify\"}",
                                    "open a team, told over MQ",
                                            "{\"userId\":\"u3\",\"teamId\":null,\"activityId\":100123,"
                                                    + "\"goodsId\":\"9890001\",\"source\":\"s01\",\"channel\":\"c01\",\"outTradeNo\":\"100000000003\","
                                                    + "\"notifyConfigVO\":{\"notifyType\":\"MQ\",\"notifyUrl\":null,\"notifyMQ\":null}}"),
                            ordered(
                                    "success",
                                            "{\"code\":\"0000\",\"info\":\"success\",\"data\":{\"orderId\":\"483920174629\","
                                                    + "\"teamId\":\"83532975\",\"originalPrice\":100.00,\"deductionPrice\":20.00,\"payPrice\":80.00,"
                                                    + "\"tradeOrderStatus\":0}}",
                                    "E0005 team full", "{\"code\":\"E0005\",\"info\":\"team full\",\"data\":null}",
                                    "0002 wrong type",
                                            "{\"code\":\"0002\",\"info\":\"illegal parameter: activityId has the wrong type or shape\",\"data\":null}")),
            SETTLE,
                    new Examples(
                            ordered(
                                    "time as text (UTC+8)",
                                            "{\"source\":\"s01\",\"channel\":\"c01\",\"userId\":\"u1\","
                                                    + "\"outTradeNo\":\"100000000001\",\"outTradeTime\":\"2026-11-22 21:00:00\"}",
                                    "time as epoch milliseconds",
                                            "{\"source\":\"s01\",\"channel\":\"c01\",\"userId\":\"u1\","
                                                    + "\"outTradeNo\":\"100000000001\",\"outTradeTime\":1795870800000}"),
                            ordered(
                                    "success",
                                    "{\"code\":\"0000\",\"info\":\"success\",\"data\":{\"userId\":\"u1\","
                                            + "\"teamId\":\"83532975\",\"activityId\":100123,\"outTradeNo\":\"100000000001\"}}",
                                    "E0106 paid too late",
                                    "{\"code\":\"E0106\",\"info\":\"trade time outside the team's window\",\"data\":null}")),
            REFUND,
                    new Examples(
                            ordered(
                                    "refund",
                                    "{\"userId\":\"u1\",\"outTradeNo\":\"100000000001\",\"source\":\"s01\",\"channel\":\"c01\"}"),
                            ordered(
                                    "success",
                                            "{\"code\":\"0000\",\"info\":\"success\",\"data\":{\"userId\":\"u1\","
                                                    + "\"orderId\":\"483920174629\",\"teamId\":\"83532975\",\"code\":\"success\",\"info\":\"unpaid_unlock: the lock is closed and its place released\"}}",
                                    "repeat",
                                            "{\"code\":\"0000\",\"info\":\"success\",\"data\":{\"userId\":\"u1\","
                                                    + "\"orderId\":\"483920174629\",\"teamId\":\"83532975\",\"code\":\"repeat\",\"info\":\"already closed or refunded; nothing changed\"}}",
                                    "E0104 unknown order",
                                            "{\"code\":\"E0104\",\"info\":\"unknown out trade number, or already refunded\",\"data\":null}")));

    private PartnerExamples() {}

    private static Map<String, String> ordered(String... namesAndJson) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i + 1 < namesAndJson.length; i += 2) {
            map.put(namesAndJson[i], namesAndJson[i + 1]);
        }
        return map;
    }
}
