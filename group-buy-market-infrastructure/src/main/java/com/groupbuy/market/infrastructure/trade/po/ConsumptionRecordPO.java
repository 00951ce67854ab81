package com.groupbuy.market.infrastructure.trade.po;

import java.time.Instant;
import lombok.Data;

/** A row of mq_consumption_record. */
@Data
public class ConsumptionRecordPO {
    private Long id;
    private String consumer;
    private String messageId;
    private String routingKey;
    private String body;
    private Integer status;
    private Integer attempts;
    private Integer version;
    private String lastError;
    private Instant createTime;
    private Instant updateTime;
}
