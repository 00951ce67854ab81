package com.groupbuy.market.config;

import com.groupbuy.market.trigger.http.AnswerDeadlineValve;
import com.groupbuy.market.trigger.http.BodyDeadlineValve;
import java.time.Duration;
import org.apache.coyote.http11.AbstractHttp11Protocol;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * A request body's time to arrive ({@code gbm.http.body-read-timeout}): a caller that trickled its body held a request
 * thread without end, and a few of them every partner's request (SlowBodyIT). The whole body is bounded by
 * {@link BodyDeadlineValve}; a body that stops is cut by Tomcat's read timeout while reading it (its upload timeout,
 * otherwise the connection timeout of 60 s). The same for an answer's time to be taken
 * ({@code gbm.http.answer-write-timeout}, {@link AnswerDeadlineValve}): a caller reading a large answer a little at a
 * time held a request thread without end too (SlowBodyIT).
 */
@Configuration
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
public class BodyDeadlineConfig {

    static final Duration LEAST = Duration.ofMillis(100);
    static final Duration MOST = Duration.ofMinutes(5);

    @Bean
    public WebServerFactoryCustomizer<TomcatServletWebServerFactory> bodyDeadline(HttpBodyProperties properties) {
        int millis = (int) checked(properties.getBodyReadTimeout()).toMillis();
        long answerMillis = checked(properties.getAnswerWriteTimeout(), "answer-write-timeout")
                .toMillis();
        return factory -> {
            factory.addContextValves(new BodyDeadlineValve(millis), new AnswerDeadlineValve(answerMillis));
            factory.addConnectorCustomizers(connector -> {
                if (connector.getProtocolHandler() instanceof AbstractHttp11Protocol<?> http) {
                    http.setDisableUploadTimeout(false);
                    http.setConnectionUploadTimeout(millis);
                }
            });
        };
    }

    static Duration checked(Duration timeout) {
        return checked(timeout, "body-read-timeout");
    }

    static Duration checked(Duration timeout, String name) {
        if (timeout == null || timeout.compareTo(LEAST) < 0 || timeout.compareTo(MOST) > 0) {
            throw new IllegalStateException("gbm.http." + name + " must be between 100ms and 5m, was " + timeout);
        }
        return timeout;
    }
}
