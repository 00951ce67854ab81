package com.groupbuy.market.trigger.listener;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import com.groupbuy.market.trigger.job.RunFailureLog;
import com.groupbuy.market.trigger.support.LogEvents;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

/**
 * During an outage a consumer's WARN is logged once for all the deliveries it hands back (RunFailureLog), so which
 * messages those were is told at DEBUG, one line each with its message id: an operator tracing one message can turn it
 * on for this class.
 */
class OutageDeliveryLogTest {

    @RegisterExtension
    final LogEvents events = new LogEvents(RecordedMessageListener.class).atDebug();

    @Test
    void eachDeliveryHandedBackDuringAnOutageIsNamedAtDebug() {
        IllegalStateException databaseGone = new IllegalStateException("connection refused");
        RecordedMessageListener<String> listener = failingWith(databaseGone);
        listener.setOutages(new RunFailureLog("test consumer", "deliveries", failure -> "database"));

        assertThat(listener.attempt("m-1", new MessageProperties(), "x")).isNull();
        assertThat(listener.attempt("m-2", new MessageProperties(), "x")).isNull();

        List<String> debug = events.list().stream()
                .filter(event -> event.getLevel() == Level.DEBUG)
                .map(ILoggingEvent::getFormattedMessage)
                .toList();
        assertThat(debug).hasSize(2);
        assertThat(debug.get(0)).contains("message=m-1").contains("handed back");
        assertThat(debug.get(1)).contains("message=m-2").contains("handed back");
        assertThat(events.list()).noneMatch(event -> event.getLevel() == Level.WARN);
    }

    @Test
    void aFailureThatIsNoOutageStaysAWarnWithItsMessageId() {
        RecordedMessageListener<String> listener = failingWith(new IllegalStateException("a bug"));
        listener.setOutages(new RunFailureLog("test consumer", "deliveries", failure -> null));

        listener.attempt("m-3", new MessageProperties(), "x");

        assertThat(events.list())
                .filteredOn(event -> event.getLevel() == Level.WARN)
                .singleElement()
                .satisfies(event -> assertThat(event.getFormattedMessage()).contains("message=m-3"));
    }

    private static RecordedMessageListener<String> failingWith(RuntimeException failure) {
        return StringListener.of(new RabbitTemplate(), () -> {
            throw failure;
        });
    }
}
