package com.groupbuy.market.trigger.http;

import com.groupbuy.market.api.IMarketTradeService;
import com.groupbuy.market.api.dto.LockMarketPayOrderRequestDTO;
import com.groupbuy.market.api.dto.LockMarketPayOrderResponseDTO;
import com.groupbuy.market.api.dto.NotifyConfigVO;
import com.groupbuy.market.api.dto.RefundMarketPayOrderRequestDTO;
import com.groupbuy.market.api.dto.RefundMarketPayOrderResponseDTO;
import com.groupbuy.market.api.dto.SettlementMarketPayOrderRequestDTO;
import com.groupbuy.market.api.dto.SettlementMarketPayOrderResponseDTO;
import com.groupbuy.market.api.response.Response;
import com.groupbuy.market.domain.outbox.model.valobj.NotifyTarget;
import com.groupbuy.market.domain.trade.model.entity.LockOrderCommand;
import com.groupbuy.market.domain.trade.model.entity.MarketPayOrderEntity;
import com.groupbuy.market.domain.trade.model.entity.RefundCommand;
import com.groupbuy.market.domain.trade.model.entity.RefundResultEntity;
import com.groupbuy.market.domain.trade.model.entity.SettleCommand;
import com.groupbuy.market.domain.trade.model.entity.SettledOrderEntity;
import com.groupbuy.market.domain.trade.service.lock.TradeLockService;
import com.groupbuy.market.domain.trade.service.refund.TradeRefundService;
import com.groupbuy.market.domain.trade.service.settlement.TradeSettlementService;
import com.groupbuy.market.types.enums.ResponseCode;
import com.groupbuy.market.types.exception.AppException;
import com.groupbuy.market.types.net.NotifyUrlPolicy;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** The trade endpoints partner malls call: lock, settlement and refund. They translate and validate; rules live in the domain. */
@RestController
// produces: the answer's type comes from the mapping, so Spring does not ask every message converter (Jackson's
// canSerialize makes a serializer provider each time) whether it can write a Response before each answer (#19). The
// negotiation takes every request as accepting anything (WebEdgeConfig), so this matches under any Accept header.
@RequestMapping(path = "/api/v1/gbm/trade/", produces = MediaType.APPLICATION_JSON_VALUE)
public class MarketTradeController implements IMarketTradeService {

    private final TradeLockService lockService;
    private final TradeSettlementService settlementService;
    private final TradeRefundService refundService;
    private final NotifyUrlPolicy notifyUrlPolicy;

    public MarketTradeController(
            TradeLockService lockService,
            TradeSettlementService settlementService,
            TradeRefundService refundService,
            NotifyUrlPolicy notifyUrlPolicy) {
        this.lockService = lockService;
        this.settlementService = settlementService;
        this.refundService = refundService;
        this.notifyUrlPolicy = notifyUrlPolicy;
    }

    @Override
    @PostMapping("refund_market_pay_order")
    public Response<RefundMarketPayOrderResponseDTO> refundMarketPayOrder(
            @RequestBody RefundMarketPayOrderRequestDTO request) {
        RefundCommand command = RefundCommand.builder()
                .userId(RequestCheck.text("userId", request.getUserId(), 32))
                .outTradeNo(RequestCheck.text("outTradeNo", request.getOutTradeNo(), 32))
                .source(RequestCheck.text("source", request.getSource(), 16))
                .channel(RequestCheck.text("channel", request.getChannel(), 16))
                .build();

        RefundResultEntity result = refundService.refund(command);

        return Envelope.success(RefundMarketPayOrderResponseDTO.builder()
                .userId(result.getUserId())
                .orderId(result.getOrderId())
                .teamId(result.getTeamId())
                .code(result.getCode())
                .info(result.getInfo())
                .build());
    }

    @Override
    @PostMapping("settlement_market_pay_order")
    public Response<SettlementMarketPayOrderResponseDTO> settlementMarketPayOrder(
            @RequestBody SettlementMarketPayOrderRequestDTO request) {
        SettleCommand command = SettleCommand.builder()
                .source(RequestCheck.text("source", request.getSource(), 16))
                .channel(RequestCheck.text("channel", request.getChannel(), 16))
                .userId(RequestCheck.text("userId", request.getUserId(), 32))
                .outTradeNo(RequestCheck.text("outTradeNo", request.getOutTradeNo(), 32))
                .outTradeTime(WireTime.parseTradeTime("outTradeTime", request.getOutTradeTime()))
                .build();

        // Within the partner's and the user's rates (#17, 0006 otherwise): the settlement's first step.
        SettledOrderEntity settled = settlementService.settle(command);

        return Envelope.success(SettlementMarketPayOrderResponseDTO.builder()
                .userId(settled.getUserId())
                .teamId(settled.getTeamId())
                .activityId(settled.getActivityId())
                .outTradeNo(settled.getOutTradeNo())
                .build());
    }

    @Override
    @PostMapping("lock_market_pay_order")
    public Response<LockMarketPayOrderResponseDTO> lockMarketPayOrder(
            @RequestBody LockMarketPayOrderRequestDTO request) {
        String teamId = RequestCheck.optionalText("teamId", request.getTeamId(), 8);
        RequestCheck.present("activityId", request.getActivityId());
        LockOrderCommand.LockOrderCommandBuilder builder = LockOrderCommand.builder()
                .userId(RequestCheck.text("userId", request.getUserId(), 32))
                .teamId(teamId)
                .activityId(request.getActivityId())
                .goodsId(RequestCheck.text("goodsId", request.getGoodsId(), 16))
                .source(RequestCheck.text("source", request.getSource(), 16))
                .channel(RequestCheck.text("channel", request.getChannel(), 16))
                .outTradeNo(RequestCheck.text("outTradeNo", request.getOutTradeNo(), 32));
        NotifyChoice notify = notifyChoice(request);
        LockOrderCommand command = builder.notifyType(notify.type())
                .notifyUrl(notify.url())
                .notifyMq(notify.mq())
                .build();

        // The lock asks the rate guard first (#17, 0006 otherwise, nothing read or written), then its new-order checks
        // (the notifyUrl host's addresses: network work done only for a caller within its rate); MQ switched off here
        // (E0203), a host refused now (E0204) and Redis down (E0401) are answered to a new order only: a repeat of a
        // committed order is answered that order (TradeLockService#lock).
        return locked(lockService.lock(command));
    }

    private static Response<LockMarketPayOrderResponseDTO> locked(MarketPayOrderEntity order) {
        return Envelope.success(LockMarketPayOrderResponseDTO.builder()
                .orderId(order.getOrderId())
                .teamId(order.getTeamId())
                .originalPrice(order.getOriginalPrice())
                .deductionPrice(order.getDeductionPrice())
                .payPrice(order.getPayPrice())
                .tradeOrderStatus(order.getStatus())
                .build());
    }

    /** How the team's partner is told: HTTP to a URL, or MQ on the notify exchange. */
    private record NotifyChoice(String type, String url, String mq) {}

    /**
     * Current malls send notifyConfigVO; older ones a flat notifyUrl, which means HTTP. MQ (the original platform's
     * default, {@code notifyUrl} and {@code notifyMQ} null) needs no URL; a given {@code notifyMQ} is recorded as is,
     * while the routing keys stay ours: a caller-chosen key could reach queues it has no business with.
     */
    private NotifyChoice notifyChoice(LockMarketPayOrderRequestDTO request) {
        NotifyConfigVO config = request.getNotifyConfigVO();
        String url = request.getNotifyUrl();
        if (config != null) {
            String type = config.getNotifyType() == null
                    ? "HTTP"
                    : config.getNotifyType().trim();
            if ("MQ".equalsIgnoreCase(type)) {
                String mq = config.getNotifyMQ() == null || config.getNotifyMQ().isBlank()
                        ? null
                        : RequestCheck.text("notifyConfigVO.notifyMQ", config.getNotifyMQ(), 64);
                // MQ switched off here: refused (E0203) unless it repeats an order (NotifyTargetCheck).
                return new NotifyChoice(NotifyTarget.MQ, null, mq);
            }
            if (!"HTTP".equalsIgnoreCase(type)) {
                throw new AppException(
                        ResponseCode.ILLEGAL_PARAMETER,
                        "illegal parameter: notifyConfigVO.notifyType must be HTTP or MQ");
            }
            url = config.getNotifyUrl();
        }
        if (url == null || url.isBlank()) {
            throw new AppException(ResponseCode.ILLEGAL_PARAMETER, "illegal parameter: notifyUrl is required");
        }
        RequestCheck.storable("notifyUrl", url);
        // The URL's form only; its host is resolved for a new order, after the rate guard (NotifyTargetCheck).
        String refusal = notifyUrlPolicy.formRefusal(url);
        if (refusal != null) {
            throw new AppException(ResponseCode.E0204, refusal);
        }
        return new NotifyChoice(NotifyTarget.HTTP, url.trim(), null);
    }
}
