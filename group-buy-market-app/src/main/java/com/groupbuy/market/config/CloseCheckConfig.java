package com.groupbuy.market.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.groupbuy.market.domain.trade.adapter.repository.IConsumptionRecordRepository;
import com.groupbuy.market.domain.trade.adapter.repository.IRefundRepository;
import com.groupbuy.market.domain.trade.model.valobj.PaymentGrace;
import com.groupbuy.market.domain.trade.service.refund.TradeRefundService;
import com.groupbuy.market.domain.trade.service.timeout.CloseCheckPolicy;
import com.groupbuy.market.domain.trade.service.timeout.CloseCheckService;
import com.groupbuy.market.domain.trade.service.timeout.TradeTimeoutService;
import com.groupbuy.market.infrastructure.gateway.mq.CloseCheckPublisher;
import com.groupbuy.market.infrastructure.gateway.mq.CloseCheckTopology;
import com.groupbuy.market.infrastructure.gateway.mq.MqExchangeGuard;
import com.groupbuy.market.infrastructure.gateway.mq.StrandedChannels;
import com.groupbuy.market.trigger.job.OutageOf;
import com.groupbuy.market.trigger.job.RunFailureLog;
import com.groupbuy.market.trigger.job.TimeoutRunMeter;
import com.groupbuy.market.trigger.listener.CloseCheckListener;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Clock;
import org.springframework.amqp.core.AcknowledgeMode;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.amqp.rabbit.listener.ListenerContainerConsumerFailedEvent;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * The delay path of timeout closing (#15): the policy every lock and the polling job share, and, while
 * {@code gbm.mq.enabled} and {@code gbm.close-check.enabled}, the delay lanes, the publisher of the outbox's close
 * checks and our consumer of the checks whose time has come (manual acknowledgement).
 */
@Configuration
public class CloseCheckConfig {

    private static final String DELAY_PATH = "${gbm.mq.enabled:true} and ${gbm.close-check.enabled:true}";

    @Bean
    public CloseCheckPolicy closeCheckPolicy(
            CloseCheckProperties closeChecks, TimeoutProperties timeouts, Environment environment) {
        boolean on = environment.getProperty("gbm.mq.enabled", Boolean.class, true) && closeChecks.isEnabled();
        return new CloseCheckPolicy(
                on,
                timeouts.getUnpaidTimeout(),
                timeouts.getExpiryGrace(),
                new PaymentGrace(closeChecks.getDefaultPaymentGrace(), closeChecks.getPaymentGrace()));
    }

    /** The backstop's "found late" count as a metric, whichever way the timeout job runs (MQ on or off: 0 when off). */
    @Bean
    public TimeoutRunMeter timeoutRunMeter(TradeTimeoutService timeouts, MeterRegistry meters) {
        TimeoutRunMeter meter = new TimeoutRunMeter(meters);
        timeouts.onRun(meter);
        return meter;
    }

    @Bean
    @ConditionalOnExpression(DELAY_PATH)
    public CloseCheckTopology closeCheckTopology(
            RabbitTemplate notifyRabbitTemplate,
            CachingConnectionFactory connectionFactory,
            CloseCheckProperties properties) {
        CloseCheckTopology topology = new CloseCheckTopology(
                notifyRabbitTemplate,
                properties.getQueue(),
                properties.getDeadLetterQueue(),
                properties.getLanePrefix(),
                properties.getBrokerFlavour());
        connectionFactory.addConnectionListener(topology);
        return topology;
    }

    /**
     * {@code gbm.close-check.lanes}: the delay lanes this instance declared since it started. Lanes are a bounded set
     * (the configured delays and the 23 hop lanes), so a count that keeps growing means lanes declared for something
     * else (a forged check once made us declare one per whole second it had left).
     */
    @Bean
    @ConditionalOnExpression(DELAY_PATH)
    public MeterBinder closeCheckLaneMeter(CloseCheckTopology topology) {
        return registry -> Gauge.builder(
                        "gbm.close-check.lanes",
                        topology,
                        lanes -> lanes.lanesDeclared().size())
                .description("delay lanes this instance declared on the broker since it started")
                .register(registry);
    }

    @Bean
    @ConditionalOnExpression(DELAY_PATH)
    public CloseCheckPublisher closeCheckPublisher(
            RabbitTemplate notifyRabbitTemplate,
            CloseCheckTopology topology,
            MqProperties mq,
            Clock clock,
            CloseCheckProperties properties,
            MqExchangeGuard mqExchangeGuard) {
        CloseCheckPublisher publisher = new CloseCheckPublisher(
                notifyRabbitTemplate,
                topology,
                clock,
                mq.checkedConfirmTimeout(),
                properties.getBundleSpread(),
                properties.getBundleMax());
        // The notify template's publisher connection: while the broker blocks it, a page fails at once.
        publisher.setPublisherBlocked(mqExchangeGuard::blocked);
        // The broker's max_message_size, learned from a refused callback or a refused bundle: the guard's one limit.
        publisher.setMessageSizeLimit(mqExchangeGuard::maxMessageSize, mqExchangeGuard::messageSizeRefused);
        return publisher;
    }

    @Bean
    @ConditionalOnExpression(DELAY_PATH)
    public CloseCheckService closeCheckService(
            IConsumptionRecordRepository records,
            IRefundRepository orders,
            TradeRefundService refunds,
            TradeTimeoutService timeouts,
            CloseCheckPolicy policy,
            Clock clock,
            CloseCheckProperties properties,
            CloseCheckPublisher closeCheckPublisher) {
        // The publisher of locks' checks: a check not yet due under the settings of now goes back into a lane.
        return new CloseCheckService(
                records,
                orders,
                refunds,
                timeouts,
                policy,
                clock,
                properties.getMaxAttempts(),
                properties.getEarlyWait(),
                closeCheckPublisher);
    }

    @Bean
    @ConditionalOnExpression(DELAY_PATH)
    public SimpleMessageListenerContainer closeCheckListenerContainer(
            CachingConnectionFactory connectionFactory,
            CloseCheckTopology topology,
            CloseCheckService service,
            ObjectMapper objectMapper,
            RabbitTemplate notifyRabbitTemplate,
            MqExchangeGuard mqExchangeGuard,
            MeterRegistry meters,
            CloseCheckProperties properties,
            OutageOf outageOf) {
        SimpleMessageListenerContainer container = new SimpleMessageListenerContainer(connectionFactory);
        container.setQueueNames(topology.closeQueue());
        container.setAcknowledgeMode(AcknowledgeMode.MANUAL);
        container.setPrefetchCount(properties.getPrefetch());
        container.setConcurrentConsumers(properties.getConcurrency());
        container.setRecoveryInterval(properties.getRecoveryInterval().toMillis());
        // The topology declares the queue when the connection opens; a broker that refused it is retried, not fatal.
        container.setMissingQueuesFatal(false);
        container.setDefaultRequeueRejected(true);
        CloseCheckListener listener = new CloseCheckListener(
                service,
                objectMapper,
                // Dead-letter copies go out on the publisher connection: an alarm blocking it leaves consuming alone.
                notifyRabbitTemplate,
                topology.deadLetterQueue(),
                properties.getRetryDelay(),
                meters);
        // While the broker blocks that connection a copy is not attempted: it would hold this consumer there.
        listener.setPublisherBlocked(mqExchangeGuard::blocked);
        listener.setCopyFailed(StrandedChannels::free);
        // A delivery failing for an outage is logged once when the outage starts and once when one is handled again.
        listener.setOutages(new RunFailureLog("close check consumer", "deliveries", outageOf));
        container.setMessageListener(listener);
        return container;
    }

    /**
     * The close-check queue deleted under its consumer (the deletion cancels it): declared again at once, so checks
     * expiring in the lanes meanwhile are not dropped by the broker (CloseCheckLaneGoneIT).
     */
    @Bean
    @ConditionalOnExpression(DELAY_PATH)
    public ApplicationListener<ListenerContainerConsumerFailedEvent> closeCheckConsumerFailed(
            SimpleMessageListenerContainer closeCheckListenerContainer, CloseCheckTopology topology) {
        return event -> {
            if (event.getSource() == closeCheckListenerContainer) {
                topology.consumerFailed();
            }
        };
    }
}
