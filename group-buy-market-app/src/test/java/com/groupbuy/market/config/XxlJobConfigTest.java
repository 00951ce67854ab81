package com.groupbuy.market.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.groupbuy.market.config.xxljob.BeanOnlyXxlJobExecutor;
import com.groupbuy.market.config.xxljob.ExecutorAccessToken;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.mock.env.MockEnvironment;

/** Whoever holds the executor token can trigger our jobs: never a known one, and prod refuses weak ones. */
@ExtendWith(OutputCaptureExtension.class)
class XxlJobConfigTest {

    @TempDir
    Path dataDir;

    @ParameterizedTest
    @ValueSource(strings = {"", "  ", "default_token", "xxl_job_token", "admin_token_change_me", "short-secret"})
    void prodRefusesAnEmptyKnownOrShortExecutorToken(String token) {
        assertThatThrownBy(() -> executor(prod(), token))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("refusing to start in prod")
                .hasMessageContaining("xxl.job.admin.accessToken");
    }

    @Test
    void prodAcceptsARealToken() {
        assertThat(executor(prod(), "a-long-random-secret-0123")).isNotNull();
    }

    @Test
    void outsideProdAnEmptyTokenBecomesARandomOneKeptInTheDataDirAndPrintedOnce(CapturedOutput output)
            throws Exception {
        String first = ExecutorAccessToken.resolve("", dataDir);
        int printedAfterFirst = count(output.getOut(), first);
        String second = ExecutorAccessToken.resolve("", dataDir);

        assertThat(first).hasSizeGreaterThanOrEqualTo(32).isNotEqualTo("default_token");
        assertThat(second).isEqualTo(first);
        assertThat(Files.readString(dataDir.resolve(ExecutorAccessToken.FILE_NAME))
                        .trim())
                .isEqualTo(first);
        assertThat(Files.getPosixFilePermissions(dataDir.resolve(ExecutorAccessToken.FILE_NAME)))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        assertThat(printedAfterFirst).isEqualTo(1);
        assertThat(count(output.getOut(), first)).isEqualTo(1);
        assertThat(output.getOut()).contains("xxl.job.accessToken=<this token>");
        assertThat(ExecutorAccessToken.resolve("", Files.createDirectory(dataDir.resolve("other"))))
                .isNotEqualTo(first);
    }

    @Test
    void theDefaultProfileGetsAGeneratedTokenNotTheKnownDefault() {
        BeanOnlyXxlJobExecutor executor = executor(new MockEnvironment(), "");

        assertThat(executor).isNotNull();
        assertThat(dataDir.resolve(ExecutorAccessToken.FILE_NAME)).exists();
    }

    @Test
    void anExplicitTokenIsUsedAsIsOutsideProd() {
        assertThat(ExecutorAccessToken.resolve("my-laptop-token", dataDir)).isEqualTo("my-laptop-token");
        assertThat(dataDir.resolve(ExecutorAccessToken.FILE_NAME)).doesNotExist();
    }

    @Test
    void prodRefusesTheDemoAdminTokenAndAShortOne() {
        MockEnvironment prod = prod().withProperty("xxl.job.admin.accessToken", "a-long-random-secret-0123");

        assertThatThrownBy(() ->
                        ProductionSecretsGuard.check(prod.withProperty("gbm.admin.token", "admin_token_change_me")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("gbm.admin.token")
                .hasMessageContaining("admin_token_change_me");
        assertThatThrownBy(() -> ProductionSecretsGuard.check(prod.withProperty("gbm.admin.token", "12345")))
                .hasMessageContaining("shorter than 16");
    }

    @Test
    void prodStartsWithRealSecretsOrNoAdminTokenAndTheExecutorOff() {
        ProductionSecretsGuard.check(prod().withProperty("gbm.admin.token", "an-admin-secret-0123456")
                .withProperty("xxl.job.admin.accessToken", "a-long-random-secret-0123"));
        ProductionSecretsGuard.check(prod().withProperty("xxl.job.executor.enabled", "false"));
        ProductionSecretsGuard.check(new MockEnvironment().withProperty("gbm.admin.token", "admin_token_change_me"));
    }

    @Test
    void prodRefusesAnEmptyExecutorTokenWhenTheExecutorRuns() {
        assertThatThrownBy(() -> ProductionSecretsGuard.check(prod()))
                .hasMessageContaining("xxl.job.admin.accessToken")
                .hasMessageContaining("empty");
    }

    @Test
    void theStartupLineNeverClaimsALocalSchedulerThatIsOff(CapturedOutput output) {
        new JobSchedulingReport("", false, false, Duration.ofSeconds(5));
        new JobSchedulingReport("http://console:8080/xxl-job-admin", true, false, Duration.ofSeconds(5));

        assertThat(output.getOut())
                .doesNotContain("local scheduler drives retries")
                .doesNotContain("takes over")
                .contains("the local scheduler is off")
                .contains("local scheduler off");
    }

    @Test
    void theStartupLineSaysWhoDrivesRetries(CapturedOutput output) {
        new JobSchedulingReport("", true, true, Duration.ofSeconds(5));
        new JobSchedulingReport("http://console:8080/xxl-job-admin", true, true, Duration.ofSeconds(5));

        assertThat(output.getOut())
                .contains("local scheduler drives retries every 5s")
                .contains("the local scheduler takes over (every 5s) while the executor is not registered");
    }

    private BeanOnlyXxlJobExecutor executor(MockEnvironment environment, String token) {
        return new XxlJobConfig()
                .xxlJobExecutor(
                        null, // not started here
                        environment,
                        "",
                        token,
                        3,
                        "group-buy-market-executor",
                        "",
                        "127.0.0.1",
                        0,
                        dataDir.resolve("logs").toString(),
                        30,
                        new XxlJobExecutorProperties(),
                        dataDir.toString());
    }

    private static MockEnvironment prod() {
        MockEnvironment prod = new MockEnvironment();
        prod.setActiveProfiles("prod");
        return prod;
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }
}
