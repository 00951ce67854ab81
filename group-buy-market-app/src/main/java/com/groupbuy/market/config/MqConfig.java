package com.groupbuy.market.config;

import com.groupbuy.market.domain.trade.model.valobj.NotifyRoutes;
import com.groupbuy.market.infrastructure.gateway.GroupBuyNotifyService;
import com.groupbuy.market.infrastructure.gateway.NotifyChannelRouter;
import com.groupbuy.market.infrastructure.gateway.mq.AmqpNotifyGateway;
import com.groupbuy.market.infrastructure.gateway.mq.CloseCheckPublisher;
import com.groupbuy.market.infrastructure.gateway.mq.MqExchangeGuard;
import com.groupbuy.market.types.mq.AmqpShortString;
import com.groupbuy.market.types.net.NotifyUrlPolicy;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.autoconfigure.amqp.ConnectionFactoryCustomizer;
import org.springframework.boot.autoconfigure.amqp.RabbitProperties;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The notify channels: which callbacks an event owes ({@link NotifyRoutes}), the HTTP/AMQP router behind the one
 * delivery port, and, when {@code gbm.mq.enabled}, the AMQP adapter with its exchange guard and health.
 */
@Configuration
public class MqConfig {

    @Bean
    public NotifyRoutes notifyRoutes(MqProperties mq, NotifyRefundProperties refunds, NotifyUrlPolicy urlPolicy) {
        // A refund URL is checked like a lock's notifyUrl, once, at start-up: a refused one is a configuration error.
        refunds.getRefundUrls()
                .forEach((source, byChannel) -> byChannel.forEach((channel, url) -> {
                    String refusal = urlPolicy.refusal(url);
                    if (refusal != null) {
                        throw new IllegalStateException(
                                "gbm.notify.refund-urls." + source + "." + channel + ": " + refusal);
                    }
                }));
        return new NotifyRoutes(mq.isEnabled(), Map.copyOf(mq.getRoutingKeys()), refunds::refundUrlOf);
    }

    @Bean
    public NotifyChannelRouter notifyChannelRouter(
            GroupBuyNotifyService http,
            ObjectProvider<AmqpNotifyGateway> mq,
            ObjectProvider<CloseCheckPublisher> closeChecks,
            NotifyGuardConfig.NotifyChannelGuards guards) {
        AmqpNotifyGateway amqp = mq.getIfAvailable();
        // #17: each partner channel behind its endpoint's circuit breaker (HTTP also behind a per-endpoint bulkhead);
        // our own close checks (#15) go to our own broker and are not a partner's endpoint.
        return new NotifyChannelRouter(
                guards.http().apply(http), amqp == null ? null : guards.mq().apply(amqp), closeChecks.getIfAvailable());
    }

    /** The shortest {@code spring.rabbitmq.channel-rpc-timeout} taken: a bare number is milliseconds. */
    static final Duration MIN_CHANNEL_RPC_TIMEOUT = Duration.ofSeconds(1);

    /** The longest {@code spring.rabbitmq.channel-rpc-timeout} taken: a lease (60 s by default) must outlast a send. */
    static final Duration MAX_CHANNEL_RPC_TIMEOUT = Duration.ofMinutes(1);

    /**
     * Bounds the AMQP client's wait for the broker's answer to a channel RPC (a channel's open, its
     * {@code confirm.select}, a declare): {@code spring.rabbitmq.channel-rpc-timeout}, 5 s as the confirm timeout by
     * default, 1 s to 1 min, else the start is refused. Unset, the client waited 10 minutes: a publish that needed a
     * new channel just after another thread's publish into a broker alarm (the broker stops reading from the
     * connection then, and says so only after) held its delivery thread — a lane of the notify run, an after-commit
     * send, a close check — that long (MqBlockedBrokerIT). Once a wait can end, a late answer may still arrive for it:
     * the client is told to check each answer's type, so it is not taken for the answer to the channel's next RPC.
     */
    @Bean
    @ConditionalOnProperty(name = "gbm.mq.enabled", havingValue = "true", matchIfMissing = true)
    public ConnectionFactoryCustomizer mqChannelRpcBound(RabbitProperties rabbit) {
        Duration rpc = checkedChannelRpcTimeout(rabbit.getChannelRpcTimeout());
        return factory -> {
            factory.setChannelRpcTimeout((int) rpc.toMillis());
            factory.setChannelShouldCheckRpcResponseType(true);
        };
    }

    static Duration checkedChannelRpcTimeout(Duration rpc) {
        if (rpc == null || rpc.compareTo(MIN_CHANNEL_RPC_TIMEOUT) < 0 || rpc.compareTo(MAX_CHANNEL_RPC_TIMEOUT) > 0) {
            throw new IllegalStateException("spring.rabbitmq.channel-rpc-timeout must be "
                    + MIN_CHANNEL_RPC_TIMEOUT.toSeconds() + " s to " + MAX_CHANNEL_RPC_TIMEOUT.toSeconds()
                    + " s (unset or 0 the AMQP client waits 10 min or for ever for the broker's answer to a channel's"
                    + " open or a declare; a bare number is milliseconds: write the unit, e.g. 5s), got " + rpc);
        }
        return rpc;
    }

    /** Notify publishes only: mandatory, so an unroutable message comes back instead of vanishing. */
    @Bean
    @ConditionalOnProperty(name = "gbm.mq.enabled", havingValue = "true", matchIfMissing = true)
    public RabbitTemplate notifyRabbitTemplate(CachingConnectionFactory connectionFactory, RabbitProperties rabbit) {
        if (rabbit.getHost() == null || rabbit.getHost().isBlank()) {
            throw new IllegalStateException("gbm.mq.enabled is on but spring.rabbitmq.host (RABBITMQ_HOST) is empty");
        }
        if (!connectionFactory.isPublisherConfirms() || !connectionFactory.isPublisherReturns()) {
            throw new IllegalStateException("the MQ notify channel needs spring.rabbitmq.publisher-confirm-type="
                    + "correlated and spring.rabbitmq.publisher-returns=true");
        }
        RabbitTemplate template = new RabbitTemplate(connectionFactory);
        template.setMandatory(true);
        // Publishes go out on a connection of their own, as RabbitMQ advises: the broker's flow control holds up a
        // connection that publishes faster than its queues take, and every frame of a connection goes through one
        // socket writer, so our consumers' acknowledgements waited behind the publishes (#15: the close-check
        // consumers spent about half their time in basicAck under the close-check benchmark).
        template.setUsePublisherConnection(true);
        return template;
    }

    @Bean
    @ConditionalOnProperty(name = "gbm.mq.enabled", havingValue = "true", matchIfMissing = true)
    public MqExchangeGuard mqExchangeGuard(
            RabbitTemplate notifyRabbitTemplate, CachingConnectionFactory connectionFactory, MqProperties mq) {
        checkPartnerExchanges(mq);
        MqExchangeGuard guard = new MqExchangeGuard(
                notifyRabbitTemplate,
                mq.getExchange(),
                mq.getInternalExchange(),
                mq.getPartnerExchanges(),
                mq.getDeclareRetry());
        connectionFactory.addConnectionListener(guard);
        // The notify template publishes and declares on the publisher connection: while the broker blocks it (an
        // alarm), the guard refuses at once instead of letting a thread wait there for the channel RPC timeout.
        connectionFactory.getPublisherConnectionFactory().addConnectionListener(guard.publisherConnectionWatch());
        return guard;
    }

    /**
     * An isolated partner's exchange ({@code gbm.mq.partner-exchanges.[source].[channel]}) must be its own: the shared
     * exchange would undo the isolation, our internal exchange would put its messages beside our refund events (and a
     * direct exchange is not what the partner declares), another partner's would hand each the other's orders, and
     * {@code amq.*} names are the broker's. Any of these refuses the start, naming the key.
     */
    static void checkPartnerExchanges(MqProperties mq) {
        Map<String, String> owner = new LinkedHashMap<>();
        mq.getPartnerExchanges()
                .forEach((source, byChannel) -> byChannel.forEach((channel, name) -> {
                    String key = "gbm.mq.partner-exchanges.[" + source + "].[" + channel + "]";
                    String problem = null;
                    if (name == null || name.isBlank()) {
                        problem = "is empty";
                    } else if (!AmqpShortString.fits(name)) {
                        // Bytes, not characters: 86 CJK characters passed a count of characters, every declare and
                        // publish then failed in the client, and each publish held a channel (AmqpShortString).
                        problem = "is longer than " + AmqpShortString.MAX_BYTES + " bytes of UTF-8";
                    } else if (name.equals(mq.getExchange())) {
                        problem = "is the shared exchange every partner may bind (gbm.mq.exchange)";
                    } else if (name.equals(mq.getInternalExchange())) {
                        problem = "is our internal exchange (gbm.mq.internal-exchange)";
                    } else if (name.startsWith("amq.")) {
                        problem = "is a name the broker reserves (amq.*)";
                    } else if (owner.containsKey(name)) {
                        problem = "is also partner " + owner.get(name)
                                + "'s: each isolated partner needs an exchange of its own";
                    }
                    if (problem != null) {
                        throw new IllegalStateException("refusing to start: " + key + " = '" + name + "' " + problem);
                    }
                    owner.put(name, "'" + source + ":" + channel + "'");
                }));
    }

    @Bean
    @ConditionalOnProperty(name = "gbm.mq.enabled", havingValue = "true", matchIfMissing = true)
    public AmqpNotifyGateway amqpNotifyGateway(
            RabbitTemplate notifyRabbitTemplate,
            MqExchangeGuard guard,
            NotifyProperties notify,
            MqProperties mq,
            Clock clock) {
        return new AmqpNotifyGateway(notifyRabbitTemplate, guard, notify::secretOf, clock, mq.checkedConfirmTimeout());
    }

    /** Declares at start-up, so a refused exchange shows in the log and the health before the first callback. */
    @Bean
    @ConditionalOnProperty(name = "gbm.mq.enabled", havingValue = "true", matchIfMissing = true)
    public ApplicationListener<ApplicationReadyEvent> mqDeclareAtStartup(MqExchangeGuard guard) {
        return event -> guard.declare();
    }

    /**
     * {@code gbm.mq.partner.exchanges.refused}: how many isolated partners' exchanges the broker refuses now (their
     * partners' MQ callbacks wait); alert on anything above zero.
     */
    @Bean
    @ConditionalOnProperty(name = "gbm.mq.enabled", havingValue = "true", matchIfMissing = true)
    public MeterBinder mqPartnerExchangeMeters(MqExchangeGuard guard) {
        return registry -> Gauge.builder(
                        "gbm.mq.partner.exchanges.refused", guard, MqExchangeGuard::refusedPartnerExchangeCount)
                .description("isolated partners' MQ exchanges the broker refuses to declare: their callbacks wait")
                .register(registry);
    }

    /** {@code mqChannel} in /actuator/health: DOWN while the broker is unreachable or refuses the exchange. */
    @Bean
    @ConditionalOnProperty(name = "gbm.mq.enabled", havingValue = "true", matchIfMissing = true)
    public HealthIndicator mqChannel(MqExchangeGuard guard) {
        return () -> {
            String refusal = guard.ensureDeclared();
            if (refusal == null) {
                // A refused partner exchange is that partner's alone: the channel stays UP for everyone else, and the
                // detail names the exchange and why (its partner's callbacks wait in the outbox).
                Map<String, String> refusedPartners = guard.refusedPartnerExchanges();
                Health.Builder up = Health.up().withDetail("exchange", guard.exchange());
                return refusedPartners.isEmpty()
                        ? up.build()
                        : up.withDetail("refusedPartnerExchanges", refusedPartners)
                                .build();
            }
            return Health.down()
                    .withDetail("exchange", guard.exchange())
                    .withDetail("state", guard.state())
                    .withDetail("reason", refusal)
                    .build();
        };
    }
}
