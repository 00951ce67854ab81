package com.groupbuy.market.config.xxljob;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Set;
import lombok.extern.slf4j.Slf4j;

/**
 * The executor's access token: whoever holds it can trigger our jobs. Configured explicitly it is used as is (prod
 * refuses a weak one). Left empty outside prod, a random one is made on the first start and kept in the data dir,
 * so a laptop never runs with a token everybody knows; it is printed once, when made, with how to hand it to the
 * console.
 */
@Slf4j
public final class ExecutorAccessToken {

    public static final String FILE_NAME = "xxl-job-access-token";
    /** Shortest token prod accepts. */
    public static final int MIN_LENGTH = 16;
    /** Tokens that are public knowledge: the library's default and its documentation's examples. */
    private static final Set<String> KNOWN =
            Set.of("default_token", "xxl_job_token", "token", "changeme", "change_me", "admin_token_change_me");

    private ExecutorAccessToken() {}

    /** Why prod must not use {@code token}, or null when it is acceptable. */
    /** The tokens everybody knows (lower case), which {@link #weakness} refuses. */
    public static Set<String> knownTokens() {
        return KNOWN;
    }

    public static String weakness(String token) {
        if (token == null || token.isBlank()) {
            return "it is empty (the executor would accept every request)";
        }
        if (KNOWN.contains(token.trim().toLowerCase(Locale.ROOT))) {
            return "'" + token.trim() + "' is publicly known";
        }
        if (token.length() < MIN_LENGTH) {
            return "it is shorter than " + MIN_LENGTH + " characters";
        }
        return null;
    }

    /** {@code configured} when set, else the data dir's token (made now when there is none yet). */
    public static String resolve(String configured, Path dataDir) {
        if (configured != null && !configured.isBlank()) {
            if (weakness(configured) != null) {
                log.warn(
                        "xxl-job executor access token is weak ({}): fine on a laptop, refused in prod",
                        weakness(configured));
            }
            return configured.trim();
        }
        Path file = dataDir.resolve(FILE_NAME);
        try {
            if (Files.exists(file)) {
                String kept = Files.readString(file, StandardCharsets.UTF_8).trim();
                if (!kept.isEmpty()) {
                    log.info(
                            "xxl-job executor access token read from {} (give the console the same value as its "
                                    + "xxl.job.accessToken)",
                            file.toAbsolutePath());
                    return kept;
                }
            }
            String token = generate();
            write(file, token);
            // Printed, not logged: shown once to whoever started the service, kept out of log files.
            System.out.println("""

                    ==== XXL-Job executor access token generated (shown once) ====
                    %s
                    Kept in %s. To let an XXL-Job admin console drive this service, start the console with
                    xxl.job.accessToken=<this token> and this service with XXL_JOB_ADMIN_ADDRESSES=<console URL>.
                    To choose your own token instead, set XXL_JOB_ACCESS_TOKEN.
                    ===============================================================
                    """.formatted(token, file.toAbsolutePath()));
            log.info("xxl-job executor access token generated and kept in {}", file.toAbsolutePath());
            return token;
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot keep the XXL-Job executor access token in " + file.toAbsolutePath()
                            + "; set XXL_JOB_ACCESS_TOKEN or make the data dir (gbm.embedded.data-dir) writable",
                    e);
        }
    }

    static String generate() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private static void write(Path file, String token) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(file);
        } catch (FileAlreadyExistsException e) {
            // An empty file left by an interrupted first start: fill it.
        }
        Files.writeString(file, token + System.lineSeparator(), StandardCharsets.UTF_8);
    }
}
