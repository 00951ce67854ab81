package com.groupbuy.market.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The class's own database, as every test gets ({@link IsolatedDatabaseInitializer}), but reached through {@link
 * #PROXY}, which a test can tell to lose the answers of chosen commits ({@link TcpProxy#loseCommitAnswers}). One proxy
 * for the classes that use it (test classes run one after another); each arms it only for its own statements.
 */
public class ProxiedDatabase extends IsolatedDatabaseInitializer {

    public static final TcpProxy PROXY;

    static {
        try {
            PROXY = TcpProxy.toMysql(3306);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Empty, as before the template copy: the context's Flyway migrates it through the proxy. */
    public ProxiedDatabase() {
        super(Start.EMPTY);
    }

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        super.initialize(context);
        String database = context.getEnvironment().getProperty("gbm.test.database");
        TestPropertyValues.of("spring.datasource.url=jdbc:mysql://127.0.0.1:" + PROXY.port() + "/" + database + PARAMS)
                .applyTo(context);
    }

    /** After a cut: waits until {@code jdbc} answers through the proxy again, at most 30 s (then its error). */
    public static void awaitReachable(JdbcTemplate jdbc) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 30_000;
        while (true) {
            try {
                jdbc.queryForObject("SELECT 1", Integer.class);
                return;
            } catch (DataAccessException stillRefused) {
                if (System.currentTimeMillis() > deadline) {
                    throw stillRefused;
                }
                Thread.sleep(250);
            }
        }
    }
}
