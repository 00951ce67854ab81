package com.groupbuy.market.trigger.listener;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.groupbuy.market.domain.trade.adapter.repository.IConsumptionRecordRepository;
import com.groupbuy.market.domain.trade.adapter.repository.IRefundRepository;
import com.groupbuy.market.domain.trade.model.entity.MemberOrderView;
import com.groupbuy.market.domain.trade.model.valobj.ConsumptionRecordVO;
import com.groupbuy.market.domain.trade.model.valobj.ConsumptionStatus;
import com.groupbuy.market.domain.trade.model.valobj.OrderStatus;
import com.groupbuy.market.domain.trade.service.refund.RefundPlaceReturnService;
import com.groupbuy.market.infrastructure.trade.dao.IConsumptionRecordDao;
import com.groupbuy.market.infrastructure.trade.repository.ConsumptionRecordRepository;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.ibatis.session.Configuration;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mybatis.spring.SqlSessionFactoryBean;
import org.mybatis.spring.SqlSessionTemplate;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * Two deliveries of one refund event racing to start an attempt, the winner's channel gone: the channel a delivery came
 * on dies (a connection drop), the broker redelivers the message on another channel while the first delivery's
 * thread is still reading the record, the first then starts its attempt (winning the record's version race) and
 * fails it, and its hand-back goes to a channel that no longer exists. On main the redelivery, having lost the race,
 * was acknowledged as a duplicate: the message was gone from the queue while its record stayed processing with an
 * attempt left, and only the polling job or the place reconciler could make up for it. Now it is handed back, and its
 * next delivery has the attempt. On the real broker (a queue of this class's own, deleted after) and the real MariaDB
 * (a database of its own, migrated by Flyway, dropped after), through the records' real statements.
 */
class RedeliveryRaceIT {

    private static final String HOST = "127.0.0.1";
    private static final String SERVER = "jdbc:mysql://127.0.0.1:3306/";
    private static final String PARAMS =
            "?connectionTimeZone=UTC&forceConnectionTimeZoneToSession=true&useSSL=false&allowPublicKeyRetrieval=true";
    private static final String ID = "refund-race-1";

    private final String database =
            "gbm_race_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    private final String queue = "gbmtest.race." + UUID.randomUUID();
    private Connection connection;
    private CachingConnectionFactory publisher;
    private IConsumptionRecordRepository stored;

    @BeforeEach
    void databaseAndQueueOfItsOwn() throws Exception {
        sql(SERVER + PARAMS, "CREATE DATABASE " + database + " CHARACTER SET utf8mb4");
        Flyway.configure()
                .dataSource(SERVER + database + PARAMS, "root", "")
                .locations("classpath:db/migration")
                .load()
                .migrate();
        stored = new ConsumptionRecordRepository(dao());
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost(HOST);
        connection = factory.newConnection("redelivery-race-it");
        try (Channel declaring = connection.createChannel()) {
            declaring.queueDeclare(queue, false, false, false, null);
        }
        publisher = new CachingConnectionFactory(HOST, 5672);
    }

    @AfterEach
    void dropThem() throws Exception {
        try (Channel cleaner = connection.createChannel()) {
            cleaner.queueDelete(queue);
        } finally {
            connection.close();
            publisher.destroy();
            sql(SERVER + PARAMS, "DROP DATABASE IF EXISTS " + database);
        }
    }

    /** The DAO as the service runs it: the mapper XML and type handlers over the database, each statement its own. */
    private IConsumptionRecordDao dao() throws Exception {
        DriverManagerDataSource dataSource = new DriverManagerDataSource(SERVER + database + PARAMS, "root", "");
        SqlSessionFactoryBean sessions = new SqlSessionFactoryBean();
        sessions.setDataSource(dataSource);
        sessions.setMapperLocations(new ClassPathResource("mybatis/mapper/trade/IConsumptionRecordDao.xml"));
        sessions.setTypeHandlersPackage("com.groupbuy.market.infrastructure.mybatis");
        Configuration configuration = new Configuration();
        configuration.setMapUnderscoreToCamelCase(true);
        sessions.setConfiguration(configuration);
        return new SqlSessionTemplate(sessions.getObject()).getMapper(IConsumptionRecordDao.class);
    }

    @Test
    void aRedeliveryThatLosesTheStartToADeliveryWhoseChannelDiedIsHandedBackNotAcknowledged() throws Exception {
        AtomicInteger lookups = new AtomicInteger();
        RefundPlaceListener listener = listener(stored, lookups);
        try (Channel publishing = connection.createChannel()) {
            String body = "{\"type\":\"unpaid_unlock\",\"userId\":\"u1\",\"teamId\":\"t1\",\"activityId\":1,"
                    + "\"orderId\":\"o1\",\"outTradeNo\":\"n1\"}";
            publishing.basicPublish(
                    "",
                    queue,
                    new AMQP.BasicProperties.Builder().messageId(ID).build(),
                    body.getBytes(StandardCharsets.UTF_8));
        }
        // The first delivery, then its channel gone: the broker puts the message back and redelivers it elsewhere.
        Channel first = connection.createChannel();
        Message firstDelivery = taken(first);
        assertThat(firstDelivery).isNotNull();
        first.close();
        Channel second = connection.createChannel();
        Message redelivery = taken(second);
        assertThat(redelivery.getMessageProperties().isRedelivered()).isTrue();

        // The redelivery reads the record; before its start, the first delivery's thread (still running) starts the
        // attempt under the same version, fails it (the order lookup throws), and hands it back to a dead channel.
        IConsumptionRecordRepository racing = withRacer(stored, () -> {
            try {
                listener(stored, lookups).onMessage(firstDelivery, first);
            } catch (Exception | Error handBackOnADeadChannel) {
                assertThat(first.isOpen()).isFalse();
            }
        });
        listener(racing, lookups).onMessage(redelivery, second);
        second.close();

        ConsumptionRecordVO record = stored.open(RefundPlaceReturnService.CONSUMER, ID, null, null);
        assertThat(record.state()).isEqualTo(ConsumptionStatus.PROCESSING);
        assertThat(record.attempts()).as("the first delivery's attempt").isEqualTo(1);
        assertThat(lookups.get())
                .as("the first delivery's attempt ran, the redelivery's did not")
                .isEqualTo(1);

        Channel third = connection.createChannel();
        Message back = taken(third);
        assertThat(back)
                .as("the message handed back, not acknowledged as a duplicate while its record is processing")
                .isNotNull();
        listener.onMessage(back, third);
        third.close();
        record = stored.open(RefundPlaceReturnService.CONSUMER, ID, null, null);
        assertThat(record.state()).isEqualTo(ConsumptionStatus.SUCCESS);
        assertThat(record.attempts()).isEqualTo(2);
        try (Channel after = connection.createChannel()) {
            assertThat(after.basicGet(queue, true)).as("acknowledged once done").isNull();
        }
    }

    private RefundPlaceListener listener(IConsumptionRecordRepository records, AtomicInteger lookups) {
        return new RefundPlaceListener(
                new RefundPlaceReturnService(records, orders(lookups), null, 3),
                new ObjectMapper(),
                new RabbitTemplate(publisher),
                queue + ".dead",
                Duration.ZERO,
                new SimpleMeterRegistry());
    }

    /** Orders whose first lookup fails (the first delivery's attempt); later ones find the order still locked. */
    private static IRefundRepository orders(AtomicInteger lookups) {
        return (IRefundRepository) Proxy.newProxyInstance(
                RedeliveryRaceIT.class.getClassLoader(), new Class<?>[] {IRefundRepository.class}, (proxy, m, args) -> {
                    if (!m.getName().equals("queryOrderById")) {
                        throw new UnsupportedOperationException(m.getName());
                    }
                    if (lookups.incrementAndGet() == 1) {
                        throw new IllegalStateException("database gone");
                    }
                    return MemberOrderView.builder()
                            .orderId("o1")
                            .teamId("t1")
                            .userId("u1")
                            .outTradeNo("n1")
                            .orderStatus(OrderStatus.LOCKED)
                            .build();
                });
    }

    /** The stored records, with {@code racer} run once just before the first attempt's start (after its read). */
    private static IConsumptionRecordRepository withRacer(IConsumptionRecordRepository records, Runnable racer) {
        AtomicInteger starts = new AtomicInteger();
        return (IConsumptionRecordRepository) Proxy.newProxyInstance(
                RedeliveryRaceIT.class.getClassLoader(),
                new Class<?>[] {IConsumptionRecordRepository.class},
                (proxy, m, args) -> {
                    if (m.getName().equals("startAttempt") && starts.getAndIncrement() == 0) {
                        racer.run();
                    }
                    try {
                        return m.invoke(records, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    /** The queue's next message on this channel, unacknowledged, waited for up to 5 s; null when none came. */
    private Message taken(Channel channel) throws Exception {
        GetResponse got = DeadLetterRecordFailureIT.next(channel, queue, false);
        return got == null ? null : DeadLetterRecordFailureIT.refundDelivery(got, queue);
    }

    private static void sql(String url, String statement) throws Exception {
        try (java.sql.Connection c = DriverManager.getConnection(url, "root", "");
                Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }
}
