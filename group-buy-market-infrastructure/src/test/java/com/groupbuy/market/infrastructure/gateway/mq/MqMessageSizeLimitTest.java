package com.groupbuy.market.infrastructure.gateway.mq;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.ShutdownSignalException;
import org.junit.jupiter.api.Test;

/**
 * The broker refuses a publish larger than its {@code max_message_size} by closing the channel with 406 and a text
 * naming the limit (rabbit_channel: "configured max size" when set, "max size" at the broker's own maximum); only that
 * close is read as one, never another 406 or a 403.
 */
class MqMessageSizeLimitTest {

    @Test
    void theLimitIsReadFromTheBrokersRefusal() {
        assertThat(MqExchangeGuard.messageSizeLimit(closed(
                        406, "PRECONDITION_FAILED - message size 110028 is larger than configured max size 65536")))
                .isEqualTo(65_536);
        assertThat(MqExchangeGuard.messageSizeLimit(
                        closed(406, "PRECONDITION_FAILED - message size 600000000 is larger than max size 536870912")))
                .isEqualTo(536_870_912);
    }

    @Test
    void anyOtherCloseNamesNoLimit() {
        assertThat(MqExchangeGuard.messageSizeLimit(null)).isEqualTo(-1);
        assertThat(MqExchangeGuard.messageSizeLimit(
                        closed(406, "PRECONDITION_FAILED - invalid expiration 'x' for property 'expiration'")))
                .isEqualTo(-1);
        assertThat(MqExchangeGuard.messageSizeLimit(
                        closed(403, "ACCESS_REFUSED - write access to exchange 'x' in vhost '/' refused")))
                .isEqualTo(-1);
    }

    private static ShutdownSignalException closed(int code, String text) {
        AMQP.Channel.Close close =
                new AMQP.Channel.Close.Builder().replyCode(code).replyText(text).build();
        return new ShutdownSignalException(false, false, close, null);
    }
}
