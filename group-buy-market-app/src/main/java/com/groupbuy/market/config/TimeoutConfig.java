package com.groupbuy.market.config;

import com.groupbuy.market.domain.outbox.adapter.port.INotifyDispatcher;
import com.groupbuy.market.domain.support.RunStop;
import com.groupbuy.market.domain.trade.adapter.port.ITeamPlaceReservation;
import com.groupbuy.market.domain.trade.adapter.repository.IRefundRepository;
import com.groupbuy.market.domain.trade.service.place.TeamPlaceReconciler;
import com.groupbuy.market.domain.trade.service.refund.TradeRefundService;
import com.groupbuy.market.domain.trade.service.timeout.CloseCheckPolicy;
import com.groupbuy.market.domain.trade.service.timeout.TradeTimeoutService;
import com.groupbuy.market.trigger.job.OutageOf;
import com.groupbuy.market.trigger.job.RunFailureLog;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The timeout job's service, with its limits from {@link TimeoutProperties} and, while the delay path is on, its
 * backstop margin ({@link CloseCheckProperties}). Its place sweep logs a Redis or database outage once, as the
 * scheduled runs do ({@link RunFailureLog}): WARN {@code team place reconciliation failed: redis unavailable (…)} when
 * sweeps start failing, INFO {@code team place reconciliation completes again: …} when one runs again.
 */
@Configuration
public class TimeoutConfig {

    @Bean
    public TradeTimeoutService tradeTimeoutService(
            IRefundRepository repository,
            TradeRefundService refundService,
            ITeamPlaceReservation reservation,
            INotifyDispatcher dispatcher,
            Clock clock,
            TimeoutProperties properties,
            TeamPlaceReconciler placeReconciler,
            CloseCheckPolicy policy,
            CloseCheckProperties closeChecks,
            RunStop runStop,
            OutageOf outageOf) {
        return new TradeTimeoutService(
                repository,
                refundService,
                reservation,
                dispatcher,
                clock,
                policy,
                closeChecks.getBackstopMargin(),
                properties.getPageSize(),
                properties.getRunBudget(),
                placeReconciler,
                new RunFailureLog("team place reconciliation", outageOf),
                runStop);
    }
}
