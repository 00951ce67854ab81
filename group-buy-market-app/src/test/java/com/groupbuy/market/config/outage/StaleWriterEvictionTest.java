package com.groupbuy.market.config.outage;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariPoolMXBean;
import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * A storm of refused writes retires the pool's connections once a second, not once a refusal (which would reconnect
 * the whole pool on every request while the old primary is all there is). The eviction itself against a real
 * failover: DatabaseRestartIT.
 */
class StaleWriterEvictionTest {

    private final AtomicInteger evictions = new AtomicInteger();
    private final AtomicLong now = new AtomicLong(5_000_000_000L);

    private final HikariPoolMXBean pool = (HikariPoolMXBean) Proxy.newProxyInstance(
            HikariPoolMXBean.class.getClassLoader(), new Class<?>[] {HikariPoolMXBean.class}, (proxy, method, args) -> {
                if (method.getName().equals("softEvictConnections")) {
                    evictions.incrementAndGet();
                }
                return method.getReturnType() == int.class ? 0 : null;
            });

    private final StaleWriterEviction eviction = new StaleWriterEviction(null, now::get) {
        @Override
        HikariPoolMXBean pool() {
            return pool;
        }
    };

    @Test
    void aStormOfRefusalsRetiresThePoolOnceASecond() {
        for (int i = 0; i < 50; i++) {
            eviction.writeRefused("read-only");
            now.addAndGet(10_000_000L); // 10 ms apart: 0.49 s in all
        }
        assertThat(evictions).as("the first refusal").hasValue(1);
        now.addAndGet(510_000_000L);
        eviction.writeRefused("read-only");
        assertThat(evictions).as("a second after the first").hasValue(2);
        eviction.writeRefused("read-only");
        assertThat(evictions).hasValue(2);
    }
}
