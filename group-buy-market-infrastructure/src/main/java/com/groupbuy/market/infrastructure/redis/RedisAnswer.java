package com.groupbuy.market.infrastructure.redis;

/** Redis's own answer in a Redisson error, for a log line or a start's refusal. */
public final class RedisAnswer {

    private RedisAnswer() {}

    /**
     * The message up to Redisson's ". channel: [id: …] command: …" (connection ids and futures an operator does not
     * need), else its first line.
     */
    public static String of(String message) {
        int end = message.indexOf(". channel:");
        return end < 0 ? message.lines().findFirst().orElse(message) : message.substring(0, end);
    }
}
