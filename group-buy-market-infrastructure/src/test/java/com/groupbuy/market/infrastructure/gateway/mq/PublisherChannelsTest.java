package com.groupbuy.market.infrastructure.gateway.mq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.groupbuy.market.domain.outbox.model.valobj.DeliveryResult;
import com.groupbuy.market.domain.outbox.model.valobj.NotSentReason;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.AmqpConnectException;
import org.springframework.amqp.AmqpResourceNotAvailableException;
import org.springframework.amqp.AmqpTimeoutException;
import org.springframework.amqp.UncategorizedAmqpException;

class PublisherChannelsTest {

    @Test
    void aCheckoutThatFoundNoChannelAndTheBrokersChannelMaxAreBusyNotFailures() {
        // Spring AMQP's words for a checkout that waited in vain, and for the client's channel_max reached.
        assertThat(PublisherChannels.busy(new AmqpTimeoutException("No available channels")))
                .contains("gbm.mq.publisher-channels");
        assertThat(PublisherChannels.busy(new UncategorizedAmqpException(
                        new AmqpResourceNotAvailableException("The channelMax limit is reached. Try later."))))
                .contains("channel_max");
    }

    @Test
    void anyOtherFailureIsNotBusy() {
        assertThat(PublisherChannels.busy(new AmqpTimeoutException("Interrupted while acquiring a channel")))
                .isNull();
        assertThat(PublisherChannels.busy(new AmqpConnectException(new java.net.ConnectException("refused"))))
                .isNull();
    }

    @Test
    void aBusyPublishWaitsWithoutATryAndIsNoFailureOfTheBroker() {
        Instant now = Instant.parse("2026-12-06T12:00:00Z");
        DeliveryResult waiting = PublisherChannels.waiting(now, "busy");
        assertThat(waiting.notAttempted()).isTrue();
        assertThat(waiting.notSentBecause(NotSentReason.BULKHEAD_FULL)).isTrue();
        assertThat(waiting.endpointWell()).isTrue();
        assertThat(waiting.notSentUntil()).isEqualTo(now.plus(PublisherChannels.RETRY_IN));
        assertThat(waiting.error()).isEqualTo("not sent: busy");
    }

    /** A failure whose causes loop back (A caused by B caused by A) is looked through once. Hung before Causes. */
    @Test
    void aChainThatLoopsBackIsLookedThroughOnce() {
        RuntimeException outer = new RuntimeException("outer");
        outer.initCause(new RuntimeException("inner", outer));

        String busy = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> PublisherChannels.busy(outer));

        assertThat(busy).isNull();
    }
}
