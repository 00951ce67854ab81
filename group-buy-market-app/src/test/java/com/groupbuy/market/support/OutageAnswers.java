package com.groupbuy.market.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.springframework.boot.test.system.CapturedOutput;

/**
 * What made the service answer a request E0401, read from the line DependencyOutageResolver logs for each such answer
 * ({@code POST <path> answered E0401: <dependency> unavailable (<root cause>)}), written before the answer is: a test
 * tells a breaker's answer from one that waited out a timeout by its cause, not by how long it took.
 */
public final class OutageAnswers {

    private OutageAnswers() {}

    /** The cause logged for the one E0401 answer to {@code path} since {@code from}, a {@code dependency} outage. */
    public static String causeLoggedSince(CapturedOutput output, int from, String path, String dependency) {
        List<String> causes = causesLoggedSince(output, from, path);
        assertThat(causes).as("the log line of the E0401 answer to %s", path).hasSize(1);
        String cause = causes.get(0);
        assertThat(cause).startsWith(dependency + " unavailable");
        return cause;
    }

    /** The causes logged for the E0401 answers to {@code path} since {@code from}, in the order logged. */
    public static List<String> causesLoggedSince(CapturedOutput output, int from, String path) {
        String marker = path + " answered E0401: ";
        return output.getOut()
                .substring(from)
                .lines()
                .filter(line -> line.contains(marker))
                .map(line -> line.substring(line.indexOf(marker) + marker.length()))
                .toList();
    }

    /**
     * Whether the cause is a write's own short timeout (the JDBC query timeout of a write given a brief transaction
     * after its batch waited the statement bound, or that transaction's deadline found passed): not the statement bound
     * ({@code max_statement_time}), which ends a wait of a whole bound.
     */
    public static boolean byBriefTimeout(String cause) {
        return !cause.contains("max_statement_time") && (cause.contains("timeout") || cause.contains("timed out"));
    }

    /** Whether the answer was the dependency's open breaker's, which waits for nothing ({@code DependencyBreaker}). */
    public static boolean byBreaker(String cause) {
        return cause.contains("circuit open after");
    }
}
