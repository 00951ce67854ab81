package com.groupbuy.market.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.rabbitmq.client.ConnectionFactory;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.amqp.RabbitProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.io.ClassPathResource;

/**
 * The AMQP client's wait for a channel RPC's answer is bounded: its own default, 10 minutes, held a delivery thread
 * that long when it opened a channel on a connection the broker had just stopped reading (MqBlockedBrokerIT).
 */
class MqChannelRpcBoundTest {

    @Test
    void theClientGivesUpOnAChannelRpcAfterTheBoundAndChecksEachAnswersType() throws Exception {
        RabbitProperties rabbit = new Binder(ConfigurationPropertySources.from(applicationYml()))
                .bind("spring.rabbitmq", RabbitProperties.class)
                .get();
        assertThat(rabbit.getChannelRpcTimeout()).isEqualTo(Duration.ofSeconds(5));

        ConnectionFactory client = new ConnectionFactory();
        assertThat(client.getChannelRpcTimeout()).isEqualTo(600_000); // the client's own: 10 min
        new MqConfig().mqChannelRpcBound(rabbit).customize(client);
        assertThat(client.getChannelRpcTimeout()).isEqualTo(5_000);
        assertThat(client.isChannelShouldCheckRpcResponseType()).isTrue();
    }

    @Test
    void anUnboundedOrUnservableRpcTimeoutRefusesTheStartNamingTheSetting() {
        for (Duration refused : new Duration[] {
            null,
            Duration.ZERO,
            Duration.ofMillis(5),
            Duration.ofMillis(999),
            Duration.ofSeconds(61),
            Duration.ofMinutes(10)
        }) {
            RabbitProperties rabbit = new RabbitProperties();
            rabbit.setChannelRpcTimeout(refused);
            assertThatThrownBy(() -> new MqConfig().mqChannelRpcBound(rabbit))
                    .as("%s", refused)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("spring.rabbitmq.channel-rpc-timeout must be 1 s to 60 s")
                    .hasMessageEndingWith("got " + refused);
        }
        for (Duration taken : new Duration[] {Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofMinutes(1)}) {
            RabbitProperties rabbit = new RabbitProperties();
            rabbit.setChannelRpcTimeout(taken);
            ConnectionFactory client = new ConnectionFactory();
            new MqConfig().mqChannelRpcBound(rabbit).customize(client);
            assertThat(client.getChannelRpcTimeout()).isEqualTo((int) taken.toMillis());
        }
    }

    private static MutablePropertySources applicationYml() throws Exception {
        MutablePropertySources sources = new MutablePropertySources();
        new YamlPropertySourceLoader()
                .load("application.yml", new ClassPathResource("application.yml"))
                .forEach(sources::addLast);
        return sources;
    }
}
