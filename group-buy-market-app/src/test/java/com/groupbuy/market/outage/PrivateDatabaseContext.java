package com.groupbuy.market.outage;

import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.PrivateDatabase;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.TestPropertySource;

/**
 * The service on a MariaDB server of the class's own ({@link PrivateDatabase}) with the local compensation run on
 * (every 300 ms), as in production, to show the outbox resumes: DatabaseRestartIT's and DatabaseOutageOperationsIT's.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@IntegrationTest
@ContextConfiguration(initializers = PrivateDatabase.class)
@TestPropertySource(
        properties = {
            "gbm.notify.local-scheduler-enabled=true",
            "gbm.notify.local-scheduler-delay=300ms",
            // The tables on a disk of their own, for DatabaseRestartIT to fill.
            PrivateDatabase.DISK + "=32m",
            // A callback sent while the database died is not recorded and is sent again when its lease ends (the
            // contract's at-least-once, same webhook-id): a short lease keeps that within the test's wait.
            "gbm.notify.lease=6s",
            "gbm.notify.connect-timeout=500ms",
            "gbm.notify.read-timeout=1s",
            "gbm.mq.confirm-timeout=1s",
            "spring.rabbitmq.connection-timeout=1s",
            "spring.rabbitmq.channel-rpc-timeout=1s"
        })
@interface PrivateDatabaseContext {}
