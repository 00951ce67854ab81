package com.groupbuy.market.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Under {@code LANG=C} (a bare container, a systemd unit without a locale) Java 17 takes US-ASCII as the default
 * charset, and Logback's console encoder wrote every character it lacks as {@code ?}: a partner's user "张三" and
 * "李四" both showed as "??" in the log an operator searches. The service's console log is UTF-8 whatever the host's
 * locale says.
 */
class ConsoleCharsetTest {

    @Test
    void theConsoleLogIsUtf8UnderThePosixLocale() throws Exception {
        assertUtf8(runProbe(Map.of("LANG", "C", "LC_ALL", "C"), "false"));
    }

    /** Production's console, written from its queue (ConsoleLogQueue): the same encoder, and flushed at the exit. */
    @Test
    void theQueuedConsoleLogIsUtf8UnderThePosixLocale() throws Exception {
        assertUtf8(runProbe(Map.of("LANG", "C", "LC_ALL", "C"), "true"));
    }

    private static void assertUtf8(byte[] output) {
        String asUtf8 = new String(output, StandardCharsets.UTF_8);
        assertThat(asUtf8)
                .as("the probe's console under LANG=C, read as UTF-8")
                .contains(ConsoleCharsetProbe.LINE)
                .doesNotContain("user ?? locked");
    }

    /**
     * The probe in a JVM of its own, this test's class path, the test profile, only this locale, and the console
     * queued or not.
     */
    private static byte[] runProbe(Map<String, String> locale, String queued) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(List.of(
                        java,
                        "-cp",
                        System.getProperty("java.class.path"),
                        ConsoleCharsetProbe.class.getName(),
                        "--spring.profiles.active=test",
                        "--gbm.logging.console-async=" + queued))
                .redirectErrorStream(true);
        // Only the locale differs from a plain shell: no inherited LC_* or JVM options that would name a charset.
        builder.environment().keySet().removeIf(name -> name.startsWith("LC_") || name.equals("JAVA_TOOL_OPTIONS"));
        builder.environment().putAll(locale);
        Process process = builder.start();
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        try (InputStream in = process.getInputStream()) {
            in.transferTo(output);
        }
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue())
                .as("the probe's exit; its output:%n%s", output.toString(StandardCharsets.UTF_8))
                .isZero();
        return output.toByteArray();
    }
}
