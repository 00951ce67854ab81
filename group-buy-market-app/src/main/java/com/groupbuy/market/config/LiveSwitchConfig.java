package com.groupbuy.market.config;

import com.groupbuy.market.domain.activity.adapter.port.IMarketSwitches;
import com.groupbuy.market.domain.activity.model.valobj.MarketSwitchesVO;
import com.groupbuy.market.domain.switches.adapter.repository.ISwitchRepository;
import com.groupbuy.market.domain.switches.model.valobj.LiveSwitchesVO;
import com.groupbuy.market.domain.switches.model.valobj.SwitchName;
import com.groupbuy.market.domain.switches.service.LiveSwitchService;
import com.groupbuy.market.domain.trade.model.valobj.SourceChannelPolicy;
import com.groupbuy.market.domain.trade.service.guard.TradeRateGuard;
import com.groupbuy.market.infrastructure.dcc.MarketSwitchesProperties;
import com.groupbuy.market.infrastructure.dcc.RedisSwitchBroadcast;
import com.groupbuy.market.infrastructure.outage.RedisOutages;
import com.groupbuy.market.infrastructure.redis.RedisKeys;
import com.groupbuy.market.infrastructure.trade.port.RedisTradeRateLimiter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import lombok.extern.slf4j.Slf4j;
import org.redisson.api.RedissonClient;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * #17 live switches: the configured values (gbm.switch.*, gbm.settlement.blacklist/allowlist,
 * gbm.trade.signature.required-for, gbm.rate-limit.*) are the defaults; values stored through the admin API override
 * them on every instance, read at start, on each change message (Redis pub/sub) and every
 * {@code gbm.switch.reload-interval}. The domain's switch ports read the live set on every call.
 */
@Slf4j
@Configuration
public class LiveSwitchConfig {

    @Bean
    public LiveSwitchesVO configuredSwitches(
            MarketSwitchesProperties market,
            RateLimitProperties rates,
            @Value("${gbm.settlement.blacklist:}") Set<String> blacklist,
            @Value("${gbm.settlement.allowlist:}") Set<String> allowlist,
            @Value("${gbm.trade.signature.required-for:}") Set<String> signatureRequiredFor) {
        Map<SwitchName, String> values = new EnumMap<>(SwitchName.class);
        values.put(SwitchName.DEGRADE, Boolean.toString(market.isDegrade()));
        values.put(SwitchName.CUT_RANGE, Integer.toString(market.getCutRange()));
        values.put(SwitchName.SETTLEMENT_BLACKLIST, String.join(",", SettlementConfig.clean(blacklist)));
        values.put(SwitchName.SETTLEMENT_ALLOWLIST, String.join(",", SettlementConfig.clean(allowlist)));
        values.put(SwitchName.SIGNATURE_REQUIRED_FOR, String.join(",", SettlementConfig.clean(signatureRequiredFor)));
        values.put(SwitchName.RATE_LIMIT_PAIR_DEFAULT, Integer.toString(rates.getPairDefault()));
        values.put(SwitchName.RATE_LIMIT_PAIRS, rates.getPairs() == null ? "" : rates.getPairs());
        values.put(SwitchName.RATE_LIMIT_USER, Integer.toString(rates.getUser()));
        // A configured value that breaks a switch's rule stops the start, as any bad configuration does.
        return LiveSwitchesVO.of(values);
    }

    @Bean
    public RedisSwitchBroadcast switchBroadcast(RedissonClient redisson, RedisKeys keys) {
        return new RedisSwitchBroadcast(redisson, keys);
    }

    @Bean
    public LiveSwitchService liveSwitchService(
            LiveSwitchesVO configuredSwitches,
            ISwitchRepository repository,
            RedisSwitchBroadcast broadcast,
            Clock clock) {
        LiveSwitchService service = new LiveSwitchService(configuredSwitches, repository, broadcast, clock);
        service.reload();
        return service;
    }

    /**
     * One thread: reloads on each change message and on the timer (a reload is one small SELECT). Held in a
     * {@link SwitchReloadThread}, not exposed as a {@link ScheduledExecutorService} bean: Spring would take such a bean
     * as the scheduler of every {@code @Scheduled} job (and Boot would then not make its own), so the local timeout,
     * callback and retention jobs would queue behind each other and behind the reloads on this one thread.
     */
    @Bean(destroyMethod = "close")
    public SwitchReloadThread switchReloader(
            LiveSwitchService service, RedisSwitchBroadcast broadcast, MarketSwitchesProperties market) {
        ScheduledExecutorService reloader = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, SwitchReloadThread.NAME);
            thread.setDaemon(true);
            return thread;
        });
        Runnable reload = () -> {
            try {
                service.reload();
            } catch (RuntimeException e) {
                log.warn("switches not reloaded, the last ones read stay in force: {}", e.toString());
            }
        };
        broadcast.subscribe(reload, reloader);
        long every = Math.max(1, market.getReloadInterval().toMillis());
        reloader.scheduleWithFixedDelay(reload, every, every, TimeUnit.MILLISECONDS);
        return new SwitchReloadThread(reloader);
    }

    /** The switches' reload thread, stopped with the context. */
    public record SwitchReloadThread(ScheduledExecutorService executor) implements AutoCloseable {
        public static final String NAME = "switch-reload";

        @Override
        public void close() {
            executor.shutdownNow();
        }
    }

    @Bean
    public IMarketSwitches marketSwitches(LiveSwitchService service) {
        return () -> {
            LiveSwitchesVO current = service.current();
            return new MarketSwitchesVO(current.degrade(), current.cutRange());
        };
    }

    @Bean
    public SourceChannelPolicy sourceChannelPolicy(LiveSwitchService service) {
        return (source, channel) -> {
            LiveSwitchesVO current = service.current();
            return SourceChannelPolicy.admits(
                    current.settlementBlacklist(), current.settlementAllowlist(), source, channel);
        };
    }

    @Bean
    public RedisTradeRateLimiter tradeRateLimiter(
            RedissonClient redisson,
            RedisKeys keys,
            RedisOutages outages,
            MeterRegistry meters,
            RateLimitProperties properties) {
        return new RedisTradeRateLimiter(
                redisson, keys, outages, meters, properties.getPairKeepAlive(), properties.getUserKeepAlive());
    }

    @Bean
    public TradeRateGuard tradeRateGuard(RedisTradeRateLimiter tradeRateLimiter, LiveSwitchService service) {
        return new TradeRateGuard(tradeRateLimiter, service::current);
    }
}
