package com.groupbuy.market.domain.trade.service.refund;

import com.groupbuy.market.domain.trade.adapter.repository.IConsumptionRecordRepository;
import com.groupbuy.market.domain.trade.model.valobj.ConsumptionRecordVO;
import java.util.List;

/** One message's record in memory, changed only under the version it holds. */
final class OneConsumptionRecord implements IConsumptionRecordRepository {
    int status;
    int attempts;
    int version;
    String lastError;
    /** The reason the record was marked failed with. */
    String failedWith;

    int writes;
    /** How often the record was opened (read). */
    int opened;
    /** The routing key the record was last opened with. */
    String routingKey;
    /** Another delivery's start, run once between this delivery's read and its own start. */
    Runnable racer;

    /** A fresh record, as a message never delivered before has. */
    void reset() {
        status = 0;
        attempts = 0;
        version = 0;
        lastError = null;
    }

    @Override
    public ConsumptionRecordVO open(String consumer, String messageId, String routingKey, String body) {
        opened++;
        this.routingKey = routingKey;
        return new ConsumptionRecordVO(
                consumer, messageId, routingKey, body, status, attempts, version, lastError, null, null);
    }

    @Override
    public boolean openStarted(String consumer, String messageId, String routingKey, String body) {
        return false;
    }

    @Override
    public boolean startAttempt(String consumer, String messageId, int version) {
        Runnable other = racer;
        racer = null;
        if (other != null) {
            other.run();
        }
        if (version != this.version) {
            return false;
        }
        attempts++;
        this.version++;
        return true;
    }

    @Override
    public boolean markSuccess(String consumer, String messageId, int version) {
        if (version != this.version) {
            return false;
        }
        status = ConsumptionRecordVO.SUCCESS;
        this.version++;
        return true;
    }

    @Override
    public boolean recordFailure(String consumer, String messageId, int version, String error) {
        writes++;
        if (version != this.version) {
            return false;
        }
        lastError = error;
        this.version++;
        return true;
    }

    @Override
    public boolean markFailed(String consumer, String messageId, int version, String reason) {
        writes++;
        failedWith = reason;
        status = ConsumptionRecordVO.FAIL;
        return true;
    }

    @Override
    public List<ConsumptionRecordVO> list(Integer status, int offset, int limit) {
        return List.of();
    }
}
