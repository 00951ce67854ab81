package com.groupbuy.market.config;

import com.groupbuy.market.config.xxljob.ExecutorAccessToken;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;
import org.springframework.core.env.Profiles;

/**
 * Prod refuses to start with a secret everybody knows: the demo admin token (it opens the operator endpoints,
 * health details and metrics) and an empty, known or short XXL-Job executor token (it triggers our jobs). Checked
 * once the configuration is read and before anything starts, so the reason is the first and only error.
 */
public class ProductionSecretsGuard implements EnvironmentPostProcessor {

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
        if (environment.getProperty("xxl.job.executor.enabled", Boolean.class, true)) {
            String why = ExecutorAccessToken.weakness(environment.getProperty("xxl.job.admin.accessToken", ""));
            if (why != null) {
                problems.add(executorTokenProblem(why));
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException("refusing to start in prod: " + String.join("; ", problems));
        }
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
