package com.groupbuy.market.config;

import java.nio.charset.Charset;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * A setting of ours ({@code gbm.*}, {@code xxl.*}, {@code spring.*}, or an environment variable of those names) that
 * holds U+FFFD stops the start: it is text the JVM could not decode. The JVM decodes environment variables, {@code -D}
 * values and arguments in the host's encoding ({@code sun.jnu.encoding}), US-ASCII under {@code LANG=C} or
 * {@code POSIX}: there a callback secret {@code s01-密钥-…} was read with six U+FFFD for its two characters, every
 * callback was signed and every partner request checked with other bytes than the partner's, and {@code s01-口令-…}
 * was the same secret. The value is never named; the setting and the way out are.
 */
public class UndecodedSettingsGuard implements EnvironmentPostProcessor, Ordered {

    private static final char UNDECODED = '\uFFFD';

    /** Before the embedded servers start (default profile): a refusal is the first and only error. */
    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE - 1;
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        check(environment);
    }

    static void check(ConfigurableEnvironment environment) {
        Set<String> undecoded = new TreeSet<>();
        for (PropertySource<?> source : environment.getPropertySources()) {
            if (!(source instanceof EnumerablePropertySource<?> names)) {
                continue;
            }
            boolean variables = source instanceof SystemEnvironmentPropertySource;
            for (String name : names.getPropertyNames()) {
                Object raw = source.getProperty(name);
                // Resolved: a YAML value ${ADMIN_TOKEN} is the variable's text.
                if (ours(name, variables)
                        && raw instanceof String text
                        && environment.resolvePlaceholders(text).indexOf(UNDECODED) >= 0) {
                    undecoded.add(name);
                }
            }
        }
        if (!undecoded.isEmpty()) {
            throw new IllegalStateException("refusing to start: text the JVM could not decode (U+FFFD) in "
                    + String.join(", ", undecoded) + ": it reads environment variables, -D values and arguments as "
                    + System.getProperty(
                            "sun.jnu.encoding", Charset.defaultCharset().name())
                    + ", and a secret read that way signs with other bytes than the partner's. Start the service "
                    + "with a UTF-8 locale (LANG=C.UTF-8), or give these settings in a YAML/properties file");
        }
    }

    private static boolean ours(String name, boolean variable) {
        String n = name.toLowerCase(Locale.ROOT);
        return variable
                ? n.startsWith("gbm_") || n.startsWith("xxl_") || n.startsWith("spring_")
                : n.startsWith("gbm.") || n.startsWith("xxl.") || n.startsWith("spring.");
    }
}
