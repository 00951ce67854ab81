package com.groupbuy.market.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.groupbuy.market.config.outage.OutageProperties;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.boot.autoconfigure.amqp.RabbitProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.validation.BindValidationException;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.validation.FieldError;

/**
 * Settings that started an instance doing something else than written, each now refused at start naming the setting
 * and its bound (the failure analysis prints the property, its origin and the reason): {@code gbm.mq.declare-retry=0}
 * re-declared against a refusing broker on every delivery, a consumer's {@code prefetch=0} was silently 1, a {@code
 * gbm.outage.retry-after} under a second was silently 1 s; a lease shorter than one send was refused without naming
 * the settings behind it. On main every value below started (the lease: refused without a setting's name).
 */
class UnservableSettingsTest {

    private final ApplicationContextRunner context = new ApplicationContextRunner().withUserConfiguration(Enable.class);

    @Test
    void theDefaultsAndTheBoundsThemselvesStart() {
        context.run(started -> assertThat(started).hasNotFailed());
        context.withPropertyValues(
                        "gbm.mq.declare-retry=1s",
                        "gbm.mq.refund-consumer.prefetch=1",
                        "gbm.close-check.prefetch=65535",
                        "gbm.outage.retry-after=1h")
                .run(started -> assertThat(started).hasNotFailed());
        context.withPropertyValues(
                        "gbm.mq.declare-retry=1h",
                        "gbm.mq.refund-consumer.prefetch=65535",
                        "gbm.close-check.prefetch=1",
                        "gbm.outage.retry-after=1s")
                .run(started -> assertThat(started).hasNotFailed());
    }

    @Test
    void valuesOutOfBoundsRefuseTheStartNamingTheSetting() {
        String[][] cases = {
            {"gbm.mq.declare-retry=0s", "gbm.mq.declare-retry", "longer than or equal to 1 second"},
            {"gbm.mq.declare-retry=10", "gbm.mq.declare-retry", "longer than or equal to 1 second"},
            {"gbm.mq.declare-retry=2h", "gbm.mq.declare-retry", "shorter than or equal to 1 hour"},
            {"gbm.mq.refund-consumer.prefetch=0", "gbm.mq.refund-consumer.prefetch", "greater than or equal to 1"},
            {"gbm.mq.refund-consumer.prefetch=65536", "gbm.mq.refund-consumer.prefetch", "less than or equal to 65535"},
            {"gbm.close-check.prefetch=0", "gbm.close-check.prefetch", "greater than or equal to 1"},
            {"gbm.close-check.prefetch=-1", "gbm.close-check.prefetch", "greater than or equal to 1"},
            {"gbm.outage.retry-after=-5s", "gbm.outage.retry-after", "longer than or equal to 1 second"},
            {"gbm.outage.retry-after=5", "gbm.outage.retry-after", "longer than or equal to 1 second"},
            {"gbm.outage.retry-after=2h", "gbm.outage.retry-after", "shorter than or equal to 1 hour"}
        };
        for (String[] refused : cases) {
            context.withPropertyValues(refused[0]).run(start -> {
                assertThat(start).as(refused[0]).hasFailed();
                assertThat(refusals(start.getStartupFailure()))
                        .as(refused[0])
                        .containsExactly(refused[1] + ": must be " + refused[2]);
            });
        }
    }

    @Test
    void aLeaseShorterThanOneSendRefusesTheStartNamingTheSettings() {
        NotifyProperties notify = new NotifyProperties();
        notify.setLease(Duration.ofSeconds(10));
        assertThatThrownBy(() -> deliveryService(notify, Duration.ZERO))
                .hasMessageContaining("gbm.notify.lease must be at least one HTTP callback's whole call,"
                        + " gbm.notify.connect-timeout + 2 x gbm.notify.read-timeout (PT12S), got PT10S");

        notify.setConnectTimeout(Duration.ofSeconds(1));
        notify.setReadTimeout(Duration.ofSeconds(2));
        notify.setLease(Duration.ofSeconds(6));
        assertThatThrownBy(() -> deliveryService(notify, Duration.ofSeconds(2)))
                .hasMessageContaining("gbm.notify.lease must be at least one MQ batch's window,"
                        + " gbm.mq.confirm-timeout + spring.rabbitmq.connection-timeout (PT7S), got PT6S");
    }

    private static void deliveryService(NotifyProperties notify, Duration brokerConnect) {
        RabbitProperties rabbit = new RabbitProperties();
        rabbit.setConnectionTimeout(brokerConnect);
        StaticListableBeanFactory beans = new StaticListableBeanFactory();
        beans.addBean("rabbit", rabbit);
        var executor = Executors.newSingleThreadExecutor();
        try {
            new NotifyConfig()
                    .dueCallbackDeliveryService(
                            null,
                            null,
                            notify,
                            new MqProperties(),
                            beans.getBeanProvider(RabbitProperties.class),
                            Clock.systemUTC(),
                            executor);
        } finally {
            executor.shutdownNow();
        }
    }

    /** "property: reason" of each field refused, as the start's failure analysis names them. */
    private static List<String> refusals(Throwable failure) {
        List<String> refusals = new ArrayList<>();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof BindValidationException invalid) {
                invalid.getValidationErrors()
                        .forEach(error ->
                                refusals.add(invalid.getValidationErrors().getName() + "."
                                        + kebab(((FieldError) error).getField()) + ": " + error.getDefaultMessage()));
            }
        }
        return refusals;
    }

    private static String kebab(String field) {
        return field.replaceAll("([A-Z])", "-$1").toLowerCase();
    }

    @EnableConfigurationProperties({
        MqProperties.class,
        RefundConsumerProperties.class,
        CloseCheckProperties.class,
        OutageProperties.class
    })
    static class Enable {}
}
