package com.groupbuy.market.trigger.http.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Times every partner call of the trial, lock, settlement and refund and tags it with the business code it answered
 * ({@code gbm.trade.requests{operation, code}}; Prometheus {@code gbm_trade_requests_seconds_*}). The code is the
 * envelope's, taken by {@link TradeCodeAdvice} as the body is written; an answer written outside Spring MVC's
 * converters (the outage resolver's 503) has none, and is tagged by its HTTP status instead ({@code http_503}).
 */
public class TradeRequestMeter implements HandlerInterceptor {

    static final String METER = "gbm.trade.requests";
    static final String STARTED = TradeRequestMeter.class.getName() + ".started";
    static final String CODE = TradeRequestMeter.class.getName() + ".code";

    private static final Map<String, String> OPERATIONS = Map.of(
            "/api/v1/gbm/index/query_group_buy_market_config", "trial",
            "/api/v1/gbm/trade/lock_market_pay_order", "lock",
            "/api/v1/gbm/trade/settlement_market_pay_order", "settle",
            "/api/v1/gbm/trade/refund_market_pay_order", "refund");

    private final MeterRegistry meters;
    /**
     * The timers registered so far, by operation and code: looked up once each instead of built and registered on
     * every request (the builder, its tags, the meter id and the registry's lookup were allocated per call).
     */
    private final Map<String, ConcurrentMap<String, Timer>> timers = new ConcurrentHashMap<>();

    public TradeRequestMeter(MeterRegistry meters) {
        this.meters = meters;
    }

    /** The paths this meter watches (for registering it as an interceptor on exactly these). */
    public static String[] paths() {
        return OPERATIONS.keySet().toArray(String[]::new);
    }

    /** Whether this servlet path is one of the partner calls timed here. */
    public static boolean watches(String servletPath) {
        return servletPath != null && OPERATIONS.containsKey(servletPath);
    }

    /** Notes the envelope's code of the answer being written (TradeCodeAdvice, and the lean trade path). */
    public static void noteCode(ServletRequest request, String code) {
        request.setAttribute(CODE, code);
    }

    /** The envelope's code noted for the answer of {@code request}; read by the admin action audit too. */
    public static String codeOf(ServletRequest request) {
        return request.getAttribute(CODE) instanceof String code ? code : null;
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        request.setAttribute(STARTED, System.nanoTime());
        return true;
    }

    @Override
    public void afterCompletion(
            HttpServletRequest request, HttpServletResponse response, Object handler, Exception ex) {
        String operation = OPERATIONS.get(request.getServletPath());
        if (operation == null || !(request.getAttribute(STARTED) instanceof Long started)) {
            return;
        }
        Object code = request.getAttribute(CODE);
        String tag = code instanceof String text && !text.isEmpty() ? text : "http_" + response.getStatus();
        timer(operation, tag).record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
    }

    private Timer timer(String operation, String code) {
        ConcurrentMap<String, Timer> byCode = timers.computeIfAbsent(operation, o -> new ConcurrentHashMap<>());
        Timer timer = byCode.get(code);
        return timer != null ? timer : byCode.computeIfAbsent(code, c -> register(operation, c));
    }

    private Timer register(String operation, String code) {
        // Codes come from ResponseCode (a closed set), so the tag's cardinality is bounded.
        return Timer.builder(METER)
                .description("partner calls by operation and the business code answered")
                .tag("operation", operation)
                .tag("code", code)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(15))
                .register(meters);
    }
}
