package com.groupbuy.market.config;

import com.groupbuy.market.domain.trade.adapter.repository.ISettlementRepository;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.context.annotation.Configuration;

/**
 * Orders paid after we had closed them ({@code gbm.settlement.late.payments}), read from {@code late_payment} at
 * each scrape: each is a buyer some mall had to refund (settlement answered E0208).
 */
@Configuration
public class LatePaymentMetricsConfig {

    public LatePaymentMetricsConfig(MeterRegistry meters, ISettlementRepository settlements) {
        Gauge.builder("gbm.settlement.late.payments", settlements::countLatePayments)
                .description("orders paid after they were closed (the mall was told to refund)")
                .register(meters);
    }
}
