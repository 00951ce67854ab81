package com.groupbuy.market.trigger.support;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.LoggerFactory;

/** What some classes log to the app log during each test ({@code @RegisterExtension}). */
public final class LogEvents implements BeforeEachCallback, AfterEachCallback {

    private final List<Logger> loggers;
    private final ListAppender<ILoggingEvent> events = new ListAppender<>();
    private final List<Level> levelsBefore = new ArrayList<>();
    private boolean debug;

    public LogEvents(Class<?>... sources) {
        this.loggers = Arrays.stream(sources)
                .map(source -> (Logger) LoggerFactory.getLogger(source))
                .toList();
    }

    /** Also what they log at DEBUG, which the shipped configuration leaves out: their level is lowered per test. */
    public LogEvents atDebug() {
        debug = true;
        return this;
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        events.list.clear();
        events.start();
        levelsBefore.clear();
        for (Logger logger : loggers) {
            levelsBefore.add(logger.getLevel());
            if (debug) {
                logger.setLevel(Level.DEBUG);
            }
            logger.addAppender(events);
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        for (int i = 0; i < loggers.size(); i++) {
            loggers.get(i).detachAppender(events);
            loggers.get(i).setLevel(levelsBefore.get(i));
        }
    }

    /** The test's events so far, oldest first. */
    public List<ILoggingEvent> list() {
        return events.list;
    }
}
