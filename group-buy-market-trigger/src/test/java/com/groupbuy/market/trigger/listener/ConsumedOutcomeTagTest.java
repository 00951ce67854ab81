package com.groupbuy.market.trigger.listener;

import static org.assertj.core.api.Assertions.assertThat;

import com.groupbuy.market.domain.trade.model.valobj.ConsumeOutcome;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Locale;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

/**
 * A consumer's {@code outcome} tags ({@code gbm.mq.refund.consumed}, {@code gbm.close.check.consumed}, …) are the names
 * docs/operations.md gives, whatever the JVM's default locale: they were the outcome's name lower-cased in the default
 * locale, and on a Turkish host {@code DUPLICATE} became {@code duplıcate} (a dotless i), a series no dashboard or alert
 * on {@code outcome="duplicate"} ever saw.
 */
class ConsumedOutcomeTagTest {

    @ParameterizedTest
    @ValueSource(strings = {"en-US", "tr-TR", "az-AZ", "lt-LT"})
    void theOutcomeTagsAreTheDocumentedNamesInEveryDefaultLocale(String locale) {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        Locale before = Locale.getDefault();
        try {
            Locale.setDefault(Locale.forLanguageTag(locale));

            StringListener.of(new RabbitTemplate(), () -> ConsumeOutcome.done(1), meters);
        } finally {
            Locale.setDefault(before);
        }

        assertThat(meters.find("gbm.test.consumed").meters())
                .extracting(meter -> meter.getId().getTag("outcome"))
                .containsExactlyInAnyOrder("done", "duplicate", "retry", "busy", "dead", "error");
    }
}
