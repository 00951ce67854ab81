package com.groupbuy.market.trigger.job;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.LoggerFactory;

/** What some classes log to the app log during each test ({@code @RegisterExtension}). */
final class LogEvents implements BeforeEachCallback, AfterEachCallback {

    private final List<Logger> loggers;
    private final ListAppender<ILoggingEvent> events = new ListAppender<>();

    LogEvents(Class<?>... sources) {
        this.loggers = Arrays.stream(sources)
                .map(source -> (Logger) LoggerFactory.getLogger(source))
                .toList();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        events.list.clear();
        events.start();
        loggers.forEach(logger -> logger.addAppender(events));
    }

    @Override
    public void afterEach(ExtensionContext context) {
        loggers.forEach(logger -> logger.detachAppender(events));
    }

    /** The test's events so far, oldest first. */
    List<ILoggingEvent> list() {
        return events.list;
    }
}
