package com.groupbuy.market.config;

import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Bounds the channels of the publisher connection (the notify template's: MQ callbacks, close checks, the exchanges'
 * declares) to {@code gbm.mq.publisher-channels}, a publish waiting up to {@code gbm.mq.publisher-channel-wait} for
 * one to be free (Spring AMQP's channel checkout). Unbounded, each lane opened a channel per isolated partner of its
 * page while the confirms of the others were on their way (a channel goes back to the cache only once they arrived):
 * a few lanes of many isolated partners went past the broker's {@code channel_max} (every later publish of the page
 * failed, a try charged to each partner) or past our user's {@code max-channels} (the broker closed the whole
 * publisher connection, 530, with every lane's publishes on it). A publish that finds no channel in time waits in the
 * outbox, not sent and no try used ({@code PublisherChannels}). The consumer connection is not touched: its channels
 * are its containers' consumers.
 */
@Configuration
@ConditionalOnProperty(name = "gbm.mq.enabled", havingValue = "true", matchIfMissing = true)
public class MqPublisherChannelsConfig {

    /**
     * Applied to the connection factory as it is made, before anything opens the publisher connection (its checkout
     * bound is taken when the connection is opened).
     */
    @Bean
    static BeanPostProcessor mqPublisherChannelBound(ObjectProvider<MqProperties> mq) {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String beanName) {
                if (bean instanceof CachingConnectionFactory factory) {
                    bound(factory, mq.getObject());
                }
                return bean;
            }
        };
    }

    static void bound(CachingConnectionFactory factory, MqProperties mq) {
        ConnectionFactory publisher = factory.getPublisherConnectionFactory();
        if (publisher instanceof CachingConnectionFactory publishing) {
            publishing.setChannelCacheSize(mq.getPublisherChannels());
            publishing.setChannelCheckoutTimeout(mq.getPublisherChannelWait().toMillis());
        }
    }
}
