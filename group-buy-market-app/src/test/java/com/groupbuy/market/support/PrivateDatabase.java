package com.groupbuy.market.support;

import java.io.IOException;
import java.util.UUID;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.ContextClosedEvent;

/**
 * Instead of {@link IsolatedDatabaseInitializer}'s database on the shared server: the class's context talks to a
 * {@link PrivateMariaDb} of its own, as the account {@link PrivateMariaDb#USER}, with a Redis key prefix of its own.
 * The server is a bean ({@code @Autowired PrivateMariaDb database}) for the test to kill, start again or turn
 * read-only, and is killed and removed when the context closes. The service reaches it through a {@link TcpProxy}
 * (a bean too), the address a test may point at another server for new connections, as a failover behind one address.
 */
public class PrivateDatabase implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    /** A test property: the size of a tmpfs the database's tables are on ({@link PrivateMariaDb#startOnOwnDisk}). */
    public static final String DISK = "gbm.test.private-database-disk";

    /** A test property: the size of a tmpfs the binary log is on ({@link PrivateMariaDb#startWithBinlogOnOwnDisk}). */
    public static final String BINLOG_DISK = "gbm.test.private-database-binlog-disk";

    /** A test property: options added to the server's command line, comma-separated ({@link PrivateMariaDb#start}). */
    public static final String OPTIONS = "gbm.test.private-database-options";

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        String database =
                "gbm_p_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        PrivateMariaDb server;
        try {
            String disk = context.getEnvironment().getProperty(DISK);
            String binlogDisk = context.getEnvironment().getProperty(BINLOG_DISK);
            String[] options = context.getEnvironment().getProperty(OPTIONS, String[].class, new String[0]);
            server = disk != null
                    ? PrivateMariaDb.startOnOwnDisk(database, disk, options)
                    : binlogDisk != null
                            ? PrivateMariaDb.startWithBinlogOnOwnDisk(database, binlogDisk, options)
                            : PrivateMariaDb.start(database, options);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start a private mariadbd", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted starting a private mariadbd", e);
        }
        TcpProxy address;
        try {
            address = TcpProxy.to(server.port());
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the private mariadbd's proxy", e);
        }
        TestPropertyValues.of(
                        "spring.datasource.url=" + server.url(address.port()),
                        "spring.datasource.username=" + PrivateMariaDb.USER,
                        "spring.datasource.password=" + PrivateMariaDb.PASSWORD,
                        "gbm.redis.key-prefix=" + database + ":",
                        "gbm.test.database=" + database)
                .applyTo(context);
        context.getBeanFactory().registerSingleton("privateMariaDb", server);
        context.getBeanFactory().registerSingleton("privateMariaDbAddress", address);
        context.addApplicationListener(event -> {
            if (event instanceof ContextClosedEvent closed && closed.getApplicationContext() == context) {
                try {
                    address.cut();
                    server.destroy();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (IOException e) {
                    throw new IllegalStateException("private mariadbd's data folder not removed", e);
                }
            }
        });
    }
}
