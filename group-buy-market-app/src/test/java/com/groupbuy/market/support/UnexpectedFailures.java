package com.groupbuy.market.support;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import com.groupbuy.market.trigger.http.GlobalExceptionHandler;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Every "unexpected failure" the service logs while open (the exception of a 500 {@code 0001} answer), so a test whose
 * answer was one can name its cause.
 */
public final class UnexpectedFailures implements AutoCloseable {

    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
    private final Logger handler = (Logger) LoggerFactory.getLogger(GlobalExceptionHandler.class);

    private UnexpectedFailures() {
        logged.start();
        handler.addAppender(logged);
    }

    public static UnexpectedFailures capture() {
        return new UnexpectedFailures();
    }

    /**
     * Each logged failure's chain: class, message, the SQLState/error code of each SQLException in it, and what each
     * link holds suppressed.
     */
    public List<String> chains() {
        List<String> chains = new ArrayList<>();
        for (ILoggingEvent event : logged.list) {
            StringBuilder chain = new StringBuilder();
            for (IThrowableProxy t = event.getThrowableProxy(); t != null; t = t.getCause()) {
                chain.append(" <- ").append(t.getClassName()).append(": ").append(t.getMessage());
                if (t instanceof ThrowableProxy proxy && proxy.getThrowable() instanceof java.sql.SQLException sql) {
                    chain.append(" [")
                            .append(sql.getSQLState())
                            .append('/')
                            .append(sql.getErrorCode())
                            .append(']');
                }
                for (IThrowableProxy suppressed : t.getSuppressed()) {
                    chain.append(" (suppressed ")
                            .append(suppressed.getClassName())
                            .append(": ")
                            .append(suppressed.getMessage())
                            .append(')');
                }
            }
            chains.add(chain.toString());
        }
        return chains;
    }

    @Override
    public void close() {
        handler.detachAppender(logged);
    }
}
