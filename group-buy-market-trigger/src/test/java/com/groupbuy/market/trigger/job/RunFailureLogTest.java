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
}
