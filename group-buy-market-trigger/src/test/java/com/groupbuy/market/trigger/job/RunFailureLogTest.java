package com.groupbuy.market.trigger.job;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import com.groupbuy.market.trigger.support.LogEvents;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A run failing for an outage on every run is one WARN when it starts and one INFO when a run completes again; any
 * other failure is an ERROR with its stack each time. The real outage: DatabaseOutageOperationsIT.
 */
class RunFailureLogTest {

    @RegisterExtension
    final LogEvents events = new LogEvents(RunFailureLog.class).atDebug();

    private final AtomicLong now = new AtomicLong();
    private final RunFailureLog failures = new RunFailureLog(
            "local notify run", failure -> failure instanceof IllegalStateException ? "database" : null, now::get);

    /** What an operator reads at the default level: INFO and above. */
    private List<ILoggingEvent> logged() {
        return events.list().stream()
                .filter(event -> event.getLevel().isGreaterOrEqual(Level.INFO))
                .toList();
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

        assertThat(logged()).extracting(ILoggingEvent::getLevel).containsExactly(Level.WARN, Level.INFO, Level.WARN);
        assertThat(logged().get(0).getFormattedMessage())
                .startsWith(
                        "local notify run failed: database unavailable (IllegalStateException: Connection refused)");
        assertThat(logged().get(0).getThrowableProxy()).as("no stack").isNull();
        assertThat(logged().get(1).getFormattedMessage())
                .isEqualTo("local notify run completes again: database was unavailable for 20 runs in 6000 ms");
        assertThat(events.list().stream().filter(event -> event.getLevel() == Level.DEBUG))
                .as("each further failure of the outage at DEBUG")
                .hasSize(19)
                .allSatisfy(event -> assertThat(event.getFormattedMessage())
                        .isEqualTo("local notify run failed again: database unavailable "
                                + "(IllegalStateException: Connection refused)"));
    }

    /**
     * Another dependency's outage while one lasts is a WARN of its own (a Redis outage during a database one is not
     * hidden by it); the end names both.
     */
    @Test
    void anotherDependencysOutageMeanwhileIsAWarningOfItsOwn() {
        RunFailureLog reloads = new RunFailureLog(
                "live switch reload",
                "reloads",
                failure -> failure instanceof IllegalStateException ? failure.getMessage() : null,
                now::get);
        reloads.outage(new IllegalStateException("database"));
        reloads.outage(new IllegalStateException("database"));
        reloads.outage(new IllegalStateException("redis"));
        reloads.outage(new IllegalStateException("database"));
        now.addAndGet(4_000_000_000L);
        reloads.completed();

        assertThat(logged()).extracting(ILoggingEvent::getLevel).containsExactly(Level.WARN, Level.WARN, Level.INFO);
        assertThat(logged().get(0).getFormattedMessage())
                .startsWith("live switch reload failed: database unavailable")
                .endsWith("the next reloads retry, and once one completes that is logged");
        assertThat(logged().get(1).getFormattedMessage()).startsWith("live switch reload failed: redis unavailable");
        assertThat(logged().get(2).getFormattedMessage())
                .isEqualTo(
                        "live switch reload completes again: database and redis were unavailable for 4 reloads in 4000 ms");
    }

    @Test
    void aFailureThatIsNoOutageIsAnErrorEachTime() {
        failures.failed(new IllegalArgumentException("a bug"));
        failures.failed(new IllegalArgumentException("a bug"));
        failures.completed();

        assertThat(logged()).extracting(ILoggingEvent::getLevel).isEqualTo(List.of(Level.ERROR, Level.ERROR));
        assertThat(logged().get(0).getThrowableProxy()).as("its stack").isNotNull();
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

        assertThat(logged()).extracting(ILoggingEvent::getLevel).containsExactly(Level.WARN, Level.INFO);
        assertThat(logged().get(0).getFormattedMessage())
                .startsWith("team place reconciliation failed: redis unavailable (IllegalStateException: Unable to");
        assertThat(logged().get(1).getFormattedMessage())
                .isEqualTo("team place reconciliation completes again: redis was unavailable for 4 runs in 40000 ms");
    }
}
