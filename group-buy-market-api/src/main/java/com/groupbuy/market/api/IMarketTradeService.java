package com.groupbuy.market.api;

import com.groupbuy.market.api.dto.LockMarketPayOrderRequestDTO;
import com.groupbuy.market.api.dto.LockMarketPayOrderResponseDTO;
import com.groupbuy.market.api.dto.RefundMarketPayOrderRequestDTO;
import com.groupbuy.market.api.dto.RefundMarketPayOrderResponseDTO;
import com.groupbuy.market.api.dto.SettlementMarketPayOrderRequestDTO;
import com.groupbuy.market.api.dto.SettlementMarketPayOrderResponseDTO;
import com.groupbuy.market.api.response.Response;

/** The trade endpoints partner malls call: lock a place, settle a payment, refund. */
public interface IMarketTradeService {

    Response<LockMarketPayOrderResponseDTO> lockMarketPayOrder(LockMarketPayOrderRequestDTO request);

    Response<SettlementMarketPayOrderResponseDTO> settlementMarketPayOrder(SettlementMarketPayOrderRequestDTO request);

    Response<RefundMarketPayOrderResponseDTO> refundMarketPayOrder(RefundMarketPayOrderRequestDTO request);
}
