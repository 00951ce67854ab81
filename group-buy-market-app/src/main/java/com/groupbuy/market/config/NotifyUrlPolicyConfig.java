package com.groupbuy.market.config;

import com.groupbuy.market.types.net.NotifyUrlPolicy;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Which callback targets partners may give us. Loopback is allowed outside prod so the built-in test receiver works
 * on one machine; the prod profile turns it off.
 */
@Configuration
public class NotifyUrlPolicyConfig {

    @Bean
    public NotifyUrlPolicy notifyUrlPolicy(
            @Value("${gbm.notify.allow-loopback:true}") boolean allowLoopback,
            @Value("${gbm.notify.allow-private:false}") boolean allowPrivate) {
        return new NotifyUrlPolicy(allowLoopback, allowPrivate);
    }
}
