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
        String marker = path + " answered E0401: ";
        List<String> lines = output.getOut()
                .substring(from)
                .lines()
                .filter(line -> line.contains(marker))
                .toList();
        assertThat(lines).as("the log line of the E0401 answer to %s", path).hasSize(1);
        String line = lines.get(0);
        String cause = line.substring(line.indexOf(marker) + marker.length());
        assertThat(cause).startsWith(dependency + " unavailable");
        return cause;
    }

    /** Whether the answer was the dependency's open breaker's, which waits for nothing ({@code DependencyBreaker}). */
    public static boolean byBreaker(String cause) {
        return cause.contains("circuit open after");
    }
}
