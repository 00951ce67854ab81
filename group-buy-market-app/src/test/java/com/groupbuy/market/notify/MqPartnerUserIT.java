package com.groupbuy.market.notify;

import static com.groupbuy.market.support.TestJson.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.groupbuy.market.domain.outbox.service.DueCallbackDeliveryService;
import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.MallQueue;
import com.groupbuy.market.support.MallQueues;
import com.groupbuy.market.support.PartnerExchanges;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.MessageProperties;
import com.rabbitmq.client.ShutdownSignalException;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * The isolation of an MQ partner as docs/operations.md tells the operator to set it up, on the real RabbitMQ: a broker
 * user of the partner's own ({@code gbmtest-<random>}, made with {@code rabbitmqctl add_user} and deleted after the
 * class; no other change to the broker) with exactly the documented permissions — configure and write on its own
 * queues ({@code ^<user>\..*}), read on its own exchange and queues ({@code ^(<exchange>|<user>\..*)$}). With them the
 * partner reads its own completions from its own exchange, and cannot bind a queue to the shared exchange, to another
 * isolated partner's exchange or to our internal exchange, nor publish on any exchange (its own included: it cannot
 * forge its own callbacks), nor redeclare or delete its exchange. The last is why docs/api.md must tell an isolated
 * partner not to declare its exchange ({@code declare = "false"}): an active declare needs configure, which the
 * partner's user must not have (with it, it could delete the exchange and declare another).
 * <p>
 * Needs {@code rabbitmqctl} able to reach the broker (run as root or the broker's user; {@code .ci/run} checks it).
 */
@IntegrationTest
@TestPropertySource(properties = {"gbm.notify.backoff=1h,1h", "gbm.notify.jitter=0"})
class MqPartnerUserIT {

    @RegisterExtension
    static final PartnerExchanges EXCHANGES =
            PartnerExchanges.isolating(Map.of("s03:c03", "gbm_t_mall_s03_", "s04:c04", "gbm_t_mall_s04_"));

    private static final String SHARED = EXCHANGES.shared();
    private static final String INTERNAL = EXCHANGES.internal();
    private static final String OWN = EXCHANGES.of("s03:c03");
    private static final String OTHER = EXCHANGES.of("s04:c04");
    private static final String USER = "gbmtest-" + EXCHANGES.suffix();
    private static final String PASSWORD = UUID.randomUUID().toString();
    private static final AtomicInteger ACTIVITY = new AtomicInteger(17200);
    private static boolean userMade;

    @DynamicPropertySource
    static void broker(DynamicPropertyRegistry registry) {
        EXCHANGES.register(registry);
    }

    @AfterAll
    static void dropBrokerObjects() throws Exception {
        MallQueues.onBroker(admin -> admin.deleteQueue(USER + ".team_success"));
        if (userMade) {
            rabbitmqctl("delete_user", USER);
        }
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    DueCallbackDeliveryService notifyService;

    /**
     * The partner's own user reads its completions from its exchange; another isolated partner's completion, published
     * at the same time (its mall, a guest queue, receives it), never reaches it.
     */
    @Test
    void thePartnersUserReadsItsOwnCompletionsFromItsOwnExchange() throws Exception {
        try (Connection partner = partnerConnection();
                MallQueue otherMall = new MallQueue(5672, OTHER, "topic.team_success")) {
            Channel channel = partner.createChannel();
            String queue = USER + ".team_success";
            channel.queueDeclare(queue, true, false, false, null);
            channel.queueBind(queue, OWN, "topic.team_success");
            List<String> received = new CopyOnWriteArrayList<>();
            channel.basicConsume(queue, false, new DefaultConsumer(channel) {
                @Override
                public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties p, byte[] body)
                        throws java.io.IOException {
                    received.add(new String(body, StandardCharsets.UTF_8));
                    getChannel().basicAck(envelope.getDeliveryTag(), false);
                }
            });
            String run = UUID.randomUUID().toString().replace("-", "").substring(0, 8);
            String ownTeam = paidTeam("s03", "c03", "a", run);
            String otherTeam = paidTeam("s04", "c04", "b", run);
            notifyService.deliverAllDue();

            await(() -> received.stream().anyMatch(b -> b.contains("\"teamId\":\"" + ownTeam + "\"")));
            await(() -> otherMall.forTeam(otherTeam).size() == 1 && delivered(otherTeam));
            Thread.sleep(500); // a leaked copy would have arrived by now
            assertThat(received).hasSize(1);
            assertThat(received.get(0)).contains("a1-" + run).doesNotContain(otherTeam);
            channel.queueDelete(queue);
        }
    }

    /** Binding a queue of its own to the shared exchange, another partner's or our internal one: ACCESS_REFUSED. */
    @Test
    void thePartnersUserCannotBindItsQueueToAnyOtherExchange() throws Exception {
        try (Connection partner = partnerConnection()) {
            Channel setup = partner.createChannel();
            String queue = USER + ".spy";
            setup.queueDeclare(queue, false, true, true, null);
            for (String exchange : List.of(SHARED, OTHER, INTERNAL)) {
                for (String key : List.of("#", "topic.team_success")) {
                    Channel channel = partner.createChannel();
                    assertThatThrownBy(() -> channel.queueBind(queue, exchange, key))
                            .as("bind %s to %s with %s", queue, exchange, key)
                            .satisfies(e -> assertThat(refusal(e)).contains("ACCESS_REFUSED"));
                }
            }
            // Nor may it name a queue outside its own prefix (say, one that looks like another mall's).
            Channel channel = partner.createChannel();
            assertThatThrownBy(() -> channel.queueDeclare("mall_s04.team_success", false, true, true, null))
                    .satisfies(e -> assertThat(refusal(e)).contains("ACCESS_REFUSED"));
        }
    }

    /**
     * No write on any exchange: it cannot publish on its own exchange (forging its own callbacks) nor on the shared
     * one; no configure on its exchange: it cannot delete it nor declare it (so a partner's client must bind without
     * declaring it, {@code declare = "false"} in Spring AMQP).
     */
    @Test
    void thePartnersUserCannotPublishNorRedeclareNorDeleteAnExchange() throws Exception {
        try (Connection partner = partnerConnection()) {
            for (String exchange : List.of(OWN, SHARED)) {
                Channel channel = partner.createChannel();
                channel.confirmSelect();
                channel.basicPublish(
                        exchange,
                        "topic.team_success",
                        MessageProperties.PERSISTENT_TEXT_PLAIN,
                        "{\"teamId\":\"forged\",\"outTradeNoList\":[]}".getBytes(StandardCharsets.UTF_8));
                assertThatThrownBy(() -> channel.waitForConfirmsOrDie(5_000))
                        .as("publish on %s", exchange)
                        .satisfies(e -> assertThat(refusal(e, channel)).contains("ACCESS_REFUSED"));
            }
            Channel declare = partner.createChannel();
            assertThatThrownBy(() -> declare.exchangeDeclare(OWN, "topic", true))
                    .satisfies(e -> assertThat(refusal(e)).contains("ACCESS_REFUSED"));
            Channel delete = partner.createChannel();
            assertThatThrownBy(() -> delete.exchangeDelete(OWN))
                    .satisfies(e -> assertThat(refusal(e)).contains("ACCESS_REFUSED"));
            // The exchange is still ours as we declared it: a passive declare (no permission needed) finds it.
            Channel passive = partner.createChannel();
            assertThat(passive.exchangeDeclarePassive(OWN)).isNotNull();
        }
    }

    private static String refusal(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ShutdownSignalException signal) {
                return signal.getMessage();
            }
        }
        return String.valueOf(e);
    }

    /** A publish's refusal closes the channel; the confirm wait may see only that, so read the channel's cause. */
    private static String refusal(Throwable e, Channel channel) {
        String found = refusal(e);
        if (!found.contains("ACCESS_REFUSED") && channel.getCloseReason() != null) {
            return channel.getCloseReason().getMessage();
        }
        return found;
    }

    /** The partner's user, made on first use with the permissions docs/operations.md gives (deleted after the class). */
    private static synchronized Connection partnerConnection() throws Exception {
        if (!userMade) {
            rabbitmqctl("add_user", USER, PASSWORD);
            userMade = true;
            String own = USER.replace(".", "\\.") + "\\..*";
            rabbitmqctl("set_permissions", "-p", "/", USER, "^" + own, "^" + own, "^(" + OWN + "|" + own + ")$");
        }
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost("127.0.0.1");
        factory.setPort(5672);
        factory.setUsername(USER);
        factory.setPassword(PASSWORD);
        return factory.newConnection("gbmtest-partner");
    }

    /** Runs rabbitmqctl (on the PATH, else Debian's /usr/sbin/rabbitmqctl); fails the test with its output. */
    private static void rabbitmqctl(String... args) throws Exception {
        String command = new File("/usr/sbin/rabbitmqctl").canExecute() ? "/usr/sbin/rabbitmqctl" : "rabbitmqctl";
        List<String> line = new ArrayList<>(List.of(command, "-q"));
        line.addAll(List.of(args));
        Process process = new ProcessBuilder(line).redirectErrorStream(true).start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("rabbitmqctl " + args[0] + " did not finish within 60 s");
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.exitValue() != 0) {
            throw new AssertionError("rabbitmqctl " + args[0] + " failed (" + process.exitValue() + "): " + output);
        }
    }

    private boolean delivered(String teamId) {
        return jdbc.queryForObject(
                        "SELECT COUNT(*) FROM notify_task WHERE team_id = ? AND notify_category = 'trade_settlement' "
                                + "AND notify_status = 1",
                        Integer.class,
                        teamId)
                == 1;
    }

    /** A fresh activity of the partner (teams of 3), three users locked into one team and settled; its team id. */
    private String paidTeam(String source, String channel, String prefix, String run) throws Exception {
        return MqPartner.onNewGoods(port, jdbc, source, channel, ACTIVITY.incrementAndGet())
                .paidTeam(prefix, run);
    }
}
