package com.groupbuy.market.config.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.matches;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoMoreInteractions;

import com.groupbuy.market.Application;
import java.io.IOException;
import java.nio.file.Path;
import java.util.UUID;
import org.apache.commons.logging.Log;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.mock.env.MockEnvironment;

/**
 * The default profile's embedded servers are stopped by Spring's shutdown hook once the context has closed. With
 * {@code spring.main.register-shutdown-hook=false} the context is not closed before they stop (set in code, nothing
 * stops them at all), so that setting is refused before anything starts. Before, the start went on.
 */
class EmbeddedStopTest {

    @Test
    void theDefaultProfileRefusesToStartWithoutSpringsShutdownHook() {
        // A folder the embedded MariaDB would refuse as well: should the setting pass, nothing is started either.
        Path dataDir = Path.of(System.getProperty("java.io.tmpdir"), "gbm-no-hook-" + UUID.randomUUID());

        assertThatThrownBy(() -> new SpringApplicationBuilder(Application.class)
                        .web(WebApplicationType.NONE)
                        .properties(
                                "spring.main.register-shutdown-hook=false",
                                "gbm.embedded.data-dir=" + dataDir,
                                "xxl.job.executor.port=0")
                        .run()
                        .close())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("spring.main.register-shutdown-hook=false cannot run with the default profile's")
                .hasMessageContaining("Nothing was started");
        assertThat(dataDir).doesNotExist();
    }

    @Test
    void springsShutdownHookIsWhatTheDecisionReads() {
        assertThatCode(() -> EmbeddedStop.refuseWithoutSpringsShutdownHook(new MockEnvironment()))
                .doesNotThrowAnyException();
        assertThatCode(() -> EmbeddedStop.refuseWithoutSpringsShutdownHook(
                        new MockEnvironment().withProperty("spring.main.register-shutdown-hook", "true")))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> EmbeddedStop.refuseWithoutSpringsShutdownHook(
                        new MockEnvironment().withProperty("spring.main.registerShutdownHook", "false")))
                .hasMessageContaining("spring.main.register-shutdown-hook=false");
    }

    /** The operator reads in the log that each server stopped, and when one did not stop cleanly. */
    @Test
    void eachStopIsLoggedAndAFailureIsAWarning() {
        Log log = mock(Log.class);

        EmbeddedStop.logged("embedded Redis", () -> {}, log);
        EmbeddedStop.logged(
                "embedded MariaDB",
                () -> {
                    throw new IOException("killed");
                },
                log);

        verify(log).info(matches("embedded Redis stopped in [0-9]+ ms"));
        verify(log).warn(matches("embedded MariaDB did not stop cleanly \\([0-9]+ ms\\)"), any(IOException.class));
        verifyNoMoreInteractions(log);
    }
}
