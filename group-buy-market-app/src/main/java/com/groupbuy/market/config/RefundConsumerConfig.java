package com.groupbuy.market.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.groupbuy.market.domain.trade.adapter.port.ITeamPlaceReservation;
import com.groupbuy.market.domain.trade.adapter.repository.IConsumptionRecordRepository;
import com.groupbuy.market.domain.trade.adapter.repository.IRefundRepository;
import com.groupbuy.market.domain.trade.model.valobj.NotifyRoutes;
import com.groupbuy.market.domain.trade.service.refund.RefundPlaceReturnService;
import com.groupbuy.market.infrastructure.gateway.mq.MqExchangeGuard;
import com.groupbuy.market.infrastructure.gateway.mq.StrandedChannels;
import com.groupbuy.market.trigger.job.OutageOf;
import com.groupbuy.market.trigger.job.RunFailureLog;
import com.groupbuy.market.trigger.listener.RefundPlaceListener;
import io.micrometer.core.instrument.MeterRegistry;
import lombok.extern.slf4j.Slf4j;
import org.springframework.amqp.core.AcknowledgeMode;
import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.Declarables;
import org.springframework.amqp.core.DirectExchange;
import org.springframework.amqp.core.ExchangeBuilder;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.QueueBuilder;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.connection.ConnectionListener;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Our refund consumer on the broker: our internal exchange (durable, direct; malls never bind it), our durable queue
 * bound to it with {@code gbm.refund_event}, the dead-letter queue (declared by Spring's RabbitAdmin when the
 * connection opens), and a listener container with manual acknowledgement. Earlier versions bound the queue to the
 * partners' exchange with {@code topic.team_refund}; that binding is removed whenever a connection opens. Only when
 * {@code gbm.mq.enabled} is true and {@code gbm.mq.refund-consumer.enabled} is not false.
 */
@Slf4j
@Configuration
@ConditionalOnExpression("${gbm.mq.enabled:true} and ${gbm.mq.refund-consumer.enabled:true}")
public class RefundConsumerConfig {

    @Bean
    public Declarables refundConsumerDeclarables(RefundConsumerProperties properties, MqProperties mq) {
        DirectExchange exchange = ExchangeBuilder.directExchange(mq.getInternalExchange())
                .durable(true)
                .build();
        // The MQ channel owns the exchange's declare and reports a refusal (health mqChannel DOWN); a refusal here
        // must not also fail the connection before that check can say why.
        exchange.setIgnoreDeclarationExceptions(true);
        Queue queue = QueueBuilder.durable(properties.getQueue()).build();
        Queue deadLetters =
                QueueBuilder.durable(properties.getDeadLetterQueue()).build();
        Binding binding = BindingBuilder.bind(queue).to(exchange).with(NotifyRoutes.REFUND_EVENT_KEY);
        return new Declarables(exchange, queue, deadLetters, binding);
    }

    /** Removes the binding earlier versions gave our queue on the partners' exchange, whenever a connection opens. */
    @Bean
    public ConnectionListener refundConsumerOldBindingRemoval(
            ConnectionFactory connectionFactory, RefundConsumerProperties properties) {
        ConnectionListener listener = new OldRefundBindingRemoval(
                properties.getQueue(), properties.getExchange(), properties.getRoutingKey());
        connectionFactory.addConnectionListener(listener);
        return listener;
    }

    @Bean
    public RefundPlaceReturnService refundPlaceReturnService(
            IConsumptionRecordRepository records,
            IRefundRepository orders,
            ITeamPlaceReservation reservation,
            RefundConsumerProperties properties) {
        return new RefundPlaceReturnService(records, orders, reservation, properties.getMaxAttempts());
    }

    @Bean
    public SimpleMessageListenerContainer refundPlaceListenerContainer(
            ConnectionFactory connectionFactory,
            RefundPlaceReturnService service,
            ObjectMapper objectMapper,
            RabbitTemplate notifyRabbitTemplate,
            MqExchangeGuard mqExchangeGuard,
            MeterRegistry meters,
            RefundConsumerProperties properties,
            OutageOf outageOf) {
        SimpleMessageListenerContainer container = new SimpleMessageListenerContainer(connectionFactory);
        container.setQueueNames(properties.getQueue());
        container.setAcknowledgeMode(AcknowledgeMode.MANUAL);
        container.setPrefetchCount(properties.getPrefetch());
        container.setConcurrentConsumers(properties.getConcurrency());
        // A delivery the listener could not settle goes back to the queue rather than being dropped.
        container.setDefaultRequeueRejected(true);
        RefundPlaceListener listener = new RefundPlaceListener(
                service,
                objectMapper,
                // Dead-letter copies go out on the publisher connection: an alarm blocking it leaves consuming alone.
                notifyRabbitTemplate,
                properties.getDeadLetterQueue(),
                properties.getRetryDelay(),
                meters);
        // While the broker blocks that connection a copy is not attempted: it would hold this consumer there.
        listener.setPublisherBlocked(mqExchangeGuard::blocked);
        listener.setCopyFailed(StrandedChannels::free);
        // A delivery failing for an outage is logged once when the outage starts and once when one is handled again.
        listener.setOutages(new RunFailureLog("refund consumer", "deliveries", outageOf));
        container.setMessageListener(listener);
        return container;
    }
}
