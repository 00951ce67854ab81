package com.groupbuy.market.config;

import com.groupbuy.market.domain.trade.adapter.port.INotifyDispatcher;
import com.groupbuy.market.domain.trade.adapter.port.ITeamPlaceReservation;
import com.groupbuy.market.domain.trade.adapter.repository.IRefundRepository;
import com.groupbuy.market.domain.trade.service.place.TeamPlaceReconciler;
import com.groupbuy.market.domain.trade.service.refund.TradeRefundService;
import com.groupbuy.market.domain.trade.service.timeout.TradeTimeoutService;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Clock;

/** The timeout job's service, with its limits from {@link TimeoutProperties}. */
@Configuration
public class TimeoutConfig {

    @Bean
    public TradeTimeoutService tradeTimeoutService(IRefundRepository repository, TradeRefundService refundService,
                                                   ITeamPlaceReservation reservation, INotifyDispatcher dispatcher,
                                                   Clock clock, TimeoutProperties properties,
                                                   TeamPlaceReconciler placeReconciler) {
        return new TradeTimeoutService(repository, refundService, reservation, dispatcher, clock,
                properties.getUnpaidTimeout(), properties.getExpiryGrace(), properties.getPageSize(),
                properties.getRunBudget(), placeReconciler);
    }
}
