package com.groupbuy.market.trigger.job;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * A run failing for an outage on every run is one WARN when it starts and one INFO when a run completes again; any
 * other failure is an ERROR with its stack each time. The real outage: DatabaseOutageOperationsIT.
 */
class RunFailureLogTest {

    private final Logger logger = (Logger) LoggerFactory.getLogger(RunFailureLog.class);
    private final ListAppender<ILoggingEvent> events = new ListAppender<>();
    private final AtomicLong now = new AtomicLong();
    private final RunFailureLog failures = new RunFailureLog(
            "local notify run", failure -> failure instanceof IllegalStateException ? "database" : null, now::get);

    @BeforeEach
    void listen() {
        events.start();
        logger.addAppender(events);
    }

    @AfterEach
    void stopListening() {
        logger.detachAppender(events);
    }

    @Test
    void anOutageIsOneWarningWhenItStartsAndOneInfoWhenItEnds() {
        failures.completed();
        for (int run = 0; run < 20; run++) {
            failures.failed(new IllegalStateException("Connection refused"));
            now.addAndGet(300_000_000L);
        }
        failures.completed();
        failures.completed();
        failures.failed(new IllegalStateException("Connection refused"));

        assertThat(events.list).extracting(ILoggingEvent::getLevel).containsExactly(Level.WARN, Level.INFO, Level.WARN);
        assertThat(events.list.get(0).getFormattedMessage())
                .startsWith(
                        "local notify run failed: database unavailable (IllegalStateException: Connection refused)");
        assertThat(events.list.get(0).getThrowableProxy()).as("no stack").isNull();
        assertThat(events.list.get(1).getFormattedMessage())
                .isEqualTo("local notify run completes again: database was unavailable for 20 runs in 6000 ms");
    }

    @Test
    void aFailureThatIsNoOutageIsAnErrorEachTime() {
        failures.failed(new IllegalArgumentException("a bug"));
        failures.failed(new IllegalArgumentException("a bug"));
        failures.completed();

        assertThat(events.list).extracting(ILoggingEvent::getLevel).isEqualTo(List.of(Level.ERROR, Level.ERROR));
        assertThat(events.list.get(0).getThrowableProxy()).as("its stack").isNotNull();
    }

    /**
     * As the timeout job's place sweep uses it (its runs complete, the sweep within them fails): an outage is taken
     * and logged once, then INFO once a sweep runs again; any other failure is left to the caller, nothing logged here.
     */
    @Test
    void aRunThatLogsItsOtherFailuresItselfIsToldWhichAreOutages() {
        RunFailureLog sweeps = new RunFailureLog(
                "team place reconciliation",
                failure -> failure instanceof IllegalStateException ? "redis" : null,
                now::get);
        for (int run = 0; run < 4; run++) {
            assertThat(sweeps.outage(new IllegalStateException("Unable to connect")))
                    .isTrue();
            now.addAndGet(10_000_000_000L);
        }
        assertThat(sweeps.outage(new IllegalArgumentException("a bug")))
                .as("no outage: the caller logs it")
                .isFalse();
        sweeps.completed();

        assertThat(events.list).extracting(ILoggingEvent::getLevel).containsExactly(Level.WARN, Level.INFO);
        assertThat(events.list.get(0).getFormattedMessage())
                .startsWith("team place reconciliation failed: redis unavailable (IllegalStateException: Unable to");
        assertThat(events.list.get(1).getFormattedMessage())
                .isEqualTo("team place reconciliation completes again: redis was unavailable for 4 runs in 40000 ms");
    }
}
