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
import com.groupbuy.market.trigger.job.OutageOf;
import com.groupbuy.market.trigger.job.RunFailureLog;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
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
     * <p>
     * A reload failing for an outage (the database unavailable) is one WARN when the reloads start failing and one
     * INFO when one completes again ({@link RunFailureLog}), not a WARN every interval while it lasts; any other
     * failure is a WARN each time, as before.
     */
    @Bean(destroyMethod = "close")
    public SwitchReloadThread switchReloader(
            LiveSwitchService service,
            RedisSwitchBroadcast broadcast,
            MarketSwitchesProperties market,
            OutageOf outageOf) {
        ScheduledExecutorService reloader = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, SwitchReloadThread.NAME);
            thread.setDaemon(true);
            return thread;
        });
        RunFailureLog outages = new RunFailureLog("live switch reload", "reloads", outageOf);
        Runnable reload = () -> {
            try {
                service.reload();
            } catch (RuntimeException e) {
                if (!outages.outage(e)) {
                    log.warn("switches not reloaded, the last ones read stay in force: {}", e.toString());
                }
                return;
            } catch (Error e) {
                // Thrown out of the timer's run (an OutOfMemoryError under a full heap), it ended the timer for good,
                // silently: a change message lost then was never made up for.
                log.error("switches not reloaded, the last ones read stay in force", e);
                return;
            }
            outages.completed();
        };
        broadcast.subscribe(reload, reloader);
        long every = reloadEveryMillis(market.getReloadInterval());
        reloader.scheduleWithFixedDelay(reload, every, every, TimeUnit.MILLISECONDS);
        return new SwitchReloadThread(reloader);
    }

    /** The shortest rate-limit bucket keep-alive taken: the bucket's window. */
    static final Duration MIN_KEEP_ALIVE = Duration.ofSeconds(1);

    /** The shortest {@code gbm.switch.reload-interval} taken: a bare number is milliseconds. */
    static final Duration MIN_RELOAD_INTERVAL = Duration.ofSeconds(1);

    /**
     * The timer's period. Zero or less was read as 1 ms and {@code 30} (meant as seconds) as 30 ms: each instance then
     * re-read the stored switches from the database a thousand (or thirty) times a second, for a safety net behind the
     * change messages. Refused at start, naming the setting.
     */
    static long reloadEveryMillis(Duration interval) {
        if (interval == null || interval.compareTo(MIN_RELOAD_INTERVAL) < 0) {
            throw new IllegalStateException("gbm.switch.reload-interval must be at least "
                    + MIN_RELOAD_INTERVAL.toSeconds() + " s (a bare number is milliseconds: write the unit, e.g. 30s), "
                    + "got " + interval);
        }
        return interval.toMillis();
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
        return new LiveMarketSwitches(service);
    }

    /**
     * The trial's switches as the live switch store has them. A named class, not a lambda: the operators' console
     * shows where the switches come from by this class's name.
     */
    record LiveMarketSwitches(LiveSwitchService service) implements IMarketSwitches {
        @Override
        public MarketSwitchesVO current() {
            LiveSwitchesVO current = service.current();
            return new MarketSwitchesVO(current.degrade(), current.cutRange());
        }
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
                redisson,
                keys,
                outages,
                meters,
                keepAlive("gbm.rate-limit.pair-keep-alive", properties.getPairKeepAlive()),
                keepAlive("gbm.rate-limit.user-keep-alive", properties.getUserKeepAlive()));
    }

    /**
     * A rate-limit bucket's keep-alive, at least the bucket's one-second window: a shorter one would drop permits still
     * in their window (Redisson's limiter, until 2026-12-05, refused it when it set a bucket up, so with {@code 10}
     * (meant as minutes, read as milliseconds) every lock and settlement of a limited partner failed HTTP 500 once a
     * limit was on); a negative one stopped the start without naming it.
     */
    static Duration keepAlive(String setting, Duration value) {
        if (value == null || value.compareTo(MIN_KEEP_ALIVE) < 0) {
            throw new IllegalStateException(setting + " must be at least " + MIN_KEEP_ALIVE.toSeconds()
                    + " s, a rate window (a bare number is milliseconds: write the unit, e.g. 10m), got " + value);
        }
        return value;
    }

    @Bean
    public TradeRateGuard tradeRateGuard(
            RedisTradeRateLimiter tradeRateLimiter, LiveSwitchService service, Clock clock) {
        return new TradeRateGuard(tradeRateLimiter, service::current, clock);
    }
}
