package com.groupbuy.market.config;

import org.springframework.amqp.rabbit.listener.AbstractMessageListenerContainer;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * How the AMQP listener containers stop: without a {@code basic.cancel} per consumer. The container's stop sent one
 * cancel after another on the shutdown hook's thread, each waiting the broker's cancel-ok up to
 * {@code spring.rabbitmq.channel-rpc-timeout}, so a broker that answered no cancel (seen once on the embedded Qpid,
 * whose decoder had died when the jar it ran from was rebuilt under it, while heartbeats went on) held the stop
 * consumers x 5 s: 80 s for the 16 close-check consumers, past an orchestrator's grace (UnansweredCancelShutdownIT). Stopped with {@code forceStop}, each consumer finishes the
 * message in hand, then closes its channel instead: that ends its subscription as a cancel does, and the broker puts
 * every delivery the channel held unacknowledged (prefetched, not yet handled) back in the queue. Nothing is lost,
 * nothing waits for an answer that may never come. The containers Spring Boot's factory makes ({@code @RabbitListener})
 * take {@code spring.rabbitmq.listener.simple.force-stop}, set in application.yml.
 */
@Configuration
public class ListenerStopConfig {

    @Bean
    static BeanPostProcessor listenerContainersStopWithoutCancel() {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessBeforeInitialization(Object bean, String beanName) {
                if (bean instanceof AbstractMessageListenerContainer container) {
                    container.setForceStop(true);
                }
                return bean;
            }
        };
    }
}
