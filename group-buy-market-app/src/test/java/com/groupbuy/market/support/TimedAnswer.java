package com.groupbuy.market.support;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.concurrent.Callable;

/** An HTTP answer, its JSON body, and how long its caller waited for it. */
public record TimedAnswer(HttpResponse<String> answer, JsonNode body, long millis) {

    public int status() {
        return answer.statusCode();
    }

    /** {@code call} timed, its answer printed with {@code who} (the log of a run that fails says who waited how long). */
    public static Callable<TimedAnswer> timed(String who, Callable<HttpResponse<String>> call) {
        return () -> {
            long start = System.nanoTime();
            HttpResponse<String> answer = call.call();
            long millis = (System.nanoTime() - start) / 1_000_000;
            System.out.printf("%s answered %s after %d ms%n", who, answer.body(), millis);
            return new TimedAnswer(answer, TestJson.JSON.readTree(answer.body()), millis);
        };
    }
}
