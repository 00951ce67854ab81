package com.groupbuy.market.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** {@code gbm.notify.lock-lookup.*} outside its bounds refuses the start, naming the setting. */
class NotifyLockLookupBoundsTest {

    @Test
    void theDefaultsAreWithinTheBounds() {
        NotifyUrlPolicyConfig.checkBounds(new NotifyLockLookupProperties());
        assertThat(new NotifyUrlPolicyConfig()
                        .notifyHostLookup(
                                new NotifyUrlPolicyConfig().notifyUrlPolicy(true, false),
                                new NotifyLockLookupProperties())
                        .refusal("127.0.0.1", "s01", "c01"))
                .isNull();
    }

    @Test
    void eachSettingOutsideItsBoundsIsRefused() {
        refused(p -> p.setTimeout(Duration.ZERO), "timeout");
        refused(p -> p.setTimeout(Duration.ofSeconds(11)), "timeout");
        refused(p -> p.setTimeout(null), "timeout");
        refused(p -> p.setThreads(0), "threads");
        refused(p -> p.setThreads(257), "threads");
        refused(p -> p.setMaxPerPartner(0), "max-per-partner");
        refused(p -> p.setMaxPerPartner(257), "max-per-partner");
        refused(p -> p.setMaxHosts(99), "max-hosts");
        refused(p -> p.setMaxHosts(1_000_001), "max-hosts");
        refused(p -> p.setTtl(Duration.ofMillis(500)), "ttl");
        refused(p -> p.setTtl(Duration.ofHours(2)), "ttl");
        refused(p -> p.setFailureTtl(Duration.ZERO), "failure-ttl");
    }

    private static void refused(Consumer<NotifyLockLookupProperties> setting, String name) {
        NotifyLockLookupProperties properties = new NotifyLockLookupProperties();
        setting.accept(properties);
        assertThatThrownBy(() -> NotifyUrlPolicyConfig.checkBounds(properties))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("gbm.notify.lock-lookup." + name);
    }
}
