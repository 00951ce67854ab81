package com.groupbuy.market.config;

import com.groupbuy.market.config.xxljob.ExecutorAccessToken;
import com.groupbuy.market.trigger.http.admin.AdminToken;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.ResolvableType;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;
import org.springframework.core.env.Profiles;

/**
 * Prod refuses to start with a secret everybody knows: the demo admin token (it opens the operator endpoints,
 * health details and metrics) or a named operator's digest of a known or empty token, an empty, known or short
 * XXL-Job executor token (it triggers our jobs) and an empty, short or shipped callback secret (the dev, default and
 * test profiles' own; it signs that partner's callbacks and requests). Checked once the configuration is read and
 * before anything starts, so the reason is the first and only error.
 */
public class ProductionSecretsGuard implements EnvironmentPostProcessor {

    private static final Set<String> SHIPPED_SECRETS = Set.of("demo_secret_change_me", "test_secret");
    private static final Bindable<Map<String, String>> OPERATORS = Bindable.mapOf(String.class, String.class);
    private static final Bindable<Map<String, Map<String, String>>> SECRETS =
            Bindable.of(ResolvableType.forClassWithGenerics(
                    Map.class,
                    ResolvableType.forClass(String.class),
                    ResolvableType.forClassWithGenerics(Map.class, String.class, String.class)));

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        check(environment);
    }

    static void check(Environment environment) {
        if (!isProd(environment)) {
            return;
        }
        List<String> problems = new ArrayList<>();
        String adminToken = environment.getProperty("gbm.admin.token", "");
        if (!adminToken.isBlank() && ExecutorAccessToken.weakness(adminToken) != null) {
            problems.add("gbm.admin.token (GBM_ADMIN_TOKEN) is weak: " + ExecutorAccessToken.weakness(adminToken)
                    + "; set a random secret of " + ExecutorAccessToken.MIN_LENGTH + "+ characters, or leave it "
                    + "empty to turn the admin endpoints off");
        }
        problems.addAll(knownOperatorTokens(environment));
        if (environment.getProperty("xxl.job.executor.enabled", Boolean.class, true)) {
            String why = ExecutorAccessToken.weakness(environment.getProperty("xxl.job.admin.accessToken", ""));
            if (why != null) {
                problems.add(executorTokenProblem(why));
            }
        }
        problems.addAll(weakCallbackSecrets(environment));
        if (!problems.isEmpty()) {
            throw new IllegalStateException("refusing to start in prod: " + String.join("; ", problems));
        }
    }

    /**
     * Callback secrets no partner can be served with: empty, shorter than {@link ExecutorAccessToken#MIN_LENGTH}, or one
     * we ship in the dev, default and test profiles (published, so whoever reads them can sign that partner's requests
     * and forge its callbacks; prod combined with one of those profiles, {@code dev,prod}, or the value copied into the
     * environment, carried one into production). The value is never named.
     */
    private static List<String> weakCallbackSecrets(Environment environment) {
        Map<String, Map<String, String>> secrets =
                Binder.get(environment).bind("gbm.notify.secrets", SECRETS).orElse(Map.of());
        List<String> problems = new ArrayList<>();
        secrets.forEach((source, byChannel) -> byChannel.forEach((channel, secret) -> {
            String key = "gbm.notify.secrets." + source + "." + channel;
            if (secret == null || secret.isBlank()) {
                // The JDK refuses an empty HMAC key: every callback of the partner failed to FAIL, and its signed
                // requests were refused. No entry at all is the way to send a partner unsigned callbacks.
                problems.add(key + " is empty; set the secret agreed with that partner, or remove the key to send it "
                        + "unsigned callbacks");
            } else if (SHIPPED_SECRETS.contains(secret.trim())) {
                problems.add(key + " is publicly known (the demo or test secret of the dev, default and test "
                        + "profiles; is one of them active beside prod?); set the secret agreed with that partner");
            } else if (secret.length() < ExecutorAccessToken.MIN_LENGTH) {
                // Partners on the shared exchange see one another's signed messages: a short secret is guessed
                // offline from one of them, and then signs trade requests as its partner.
                problems.add(key + " is shorter than " + ExecutorAccessToken.MIN_LENGTH + " characters; set a random "
                        + "secret of " + ExecutorAccessToken.MIN_LENGTH + "+ characters agreed with that partner");
            }
        }));
        return problems;
    }

    /**
     * Named operators ({@code gbm.admin.operators.<name>}) whose digest is that of an empty or publicly known token:
     * the configuration holds digests, not tokens, so their length cannot be checked here, but the digest of a known
     * token is known too. docs/operations.md says how to make a token of {@link ExecutorAccessToken#MIN_LENGTH}+
     * random characters and its digest.
     */
    private static List<String> knownOperatorTokens(Environment environment) {
        Map<String, String> operators =
                Binder.get(environment).bind("gbm.admin.operators", OPERATORS).orElse(Map.of());
        Map<String, String> known = new HashMap<>();
        known.put(HexFormat.of().formatHex(AdminToken.sha256("")), "an empty token");
        for (String token : ExecutorAccessToken.knownTokens()) {
            known.put(HexFormat.of().formatHex(AdminToken.sha256(token)), "a publicly known token");
            known.put(
                    HexFormat.of().formatHex(AdminToken.sha256(token.toUpperCase(Locale.ROOT))),
                    "a publicly known token");
        }
        List<String> problems = new ArrayList<>();
        new TreeMap<>(operators).forEach((name, digest) -> {
            String what = digest == null ? null : known.get(digest.trim().toLowerCase(Locale.ROOT));
            if (what != null) {
                problems.add("gbm.admin.operators." + name + " is the digest of " + what + "; give that operator a "
                        + "random token of " + ExecutorAccessToken.MIN_LENGTH + "+ characters and set its digest");
            }
        });
        return problems;
    }

    static void refuseWeakExecutorToken(Environment environment, String token) {
        String why = ExecutorAccessToken.weakness(token);
        if (isProd(environment) && why != null) {
            throw new IllegalStateException("refusing to start in prod: " + executorTokenProblem(why));
        }
    }

    private static String executorTokenProblem(String why) {
        return "xxl.job.admin.accessToken (XXL_JOB_ACCESS_TOKEN) is weak: " + why + "; whoever holds it can trigger "
                + "our jobs through the executor. Set a random secret of " + ExecutorAccessToken.MIN_LENGTH
                + "+ characters, the same as the console's xxl.job.accessToken";
    }

    private static boolean isProd(Environment environment) {
        return environment.acceptsProfiles(Profiles.of("prod"));
    }
}
