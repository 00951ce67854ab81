package com.groupbuy.market.infrastructure.trade.repository;

import com.groupbuy.market.domain.trade.adapter.repository.IConsumptionRecordRepository;
import com.groupbuy.market.domain.trade.adapter.repository.IConsumptionRecordRetention;
import com.groupbuy.market.domain.trade.model.valobj.ConsumptionRecordVO;
import com.groupbuy.market.domain.trade.model.valobj.ConsumptionStatus;
import com.groupbuy.market.infrastructure.trade.dao.IConsumptionRecordDao;
import com.groupbuy.market.infrastructure.trade.po.ConsumptionRecordPO;
import java.time.Instant;
import java.util.List;
import org.springframework.stereotype.Repository;

/** Consumption records over MyBatis; each statement commits on its own (a retention delete too: one batch each). */
@Repository
public class ConsumptionRecordRepository implements IConsumptionRecordRepository, IConsumptionRecordRetention {

    private final IConsumptionRecordDao dao;

    public ConsumptionRecordRepository(IConsumptionRecordDao dao) {
        this.dao = dao;
    }

    /** {@code mq_consumption_record.last_error} (characters). */
    static final int MAX_ERROR = 512;

    @Override
    public ConsumptionRecordVO open(String consumer, String messageId, String routingKey, String body) {
        ConsumptionRecordPO po = new ConsumptionRecordPO();
        po.setConsumer(consumer);
        po.setMessageId(messageId);
        po.setRoutingKey(routingKey);
        po.setBody(body);
        po.setStatus(ConsumptionStatus.PROCESSING.code());
        if (inserted(dao.insertUnlessTaken(po), po)) {
            // Just written with its starting values: no need to read it back (a redelivery reads it).
            return new ConsumptionRecordVO(
                    consumer, messageId, routingKey, body, ConsumptionStatus.PROCESSING.code(), 0, 0, null, null, null);
        }
        return toVO(dao.query(consumer, messageId));
    }

    @Override
    public boolean openStarted(String consumer, String messageId, String routingKey, String body) {
        ConsumptionRecordPO po = new ConsumptionRecordPO();
        po.setConsumer(consumer);
        po.setMessageId(messageId);
        po.setRoutingKey(routingKey);
        po.setBody(body);
        po.setStatus(ConsumptionStatus.PROCESSING.code());
        return inserted(dao.insertStartedUnlessTaken(po), po);
    }

    /**
     * Whether the insert wrote the record: a taken key counts 1 row too (Connector/J reports found rows, and the row
     * found was "set to its current values"), but only a written row brings its id back.
     */
    private static boolean inserted(int rows, ConsumptionRecordPO po) {
        return rows == 1 && po.getId() != null;
    }

    @Override
    public boolean startAttempt(String consumer, String messageId, int version) {
        return dao.startAttempt(consumer, messageId, version, ConsumptionStatus.PROCESSING.code()) == 1;
    }

    @Override
    public boolean markSuccess(String consumer, String messageId, int version) {
        return finish(consumer, messageId, version, ConsumptionStatus.PROCESSING.succeed(), null);
    }

    @Override
    public boolean recordFailure(String consumer, String messageId, int version, String error) {
        return finish(consumer, messageId, version, ConsumptionStatus.PROCESSING.attemptFailed(), error);
    }

    @Override
    public boolean markFailed(String consumer, String messageId, int version, String reason) {
        return finish(consumer, messageId, version, ConsumptionStatus.PROCESSING.giveUp(), reason);
    }

    @Override
    public List<ConsumptionRecordVO> list(Integer status, int offset, int limit) {
        return dao.list(status, offset, limit).stream()
                .map(ConsumptionRecordRepository::toVO)
                .toList();
    }

    /**
     * Only a processing record changes (guarded by its version too). The error is cut to what {@code last_error} holds:
     * a dead-letter reason can quote a whole recorded error after its own words ("out of attempts; last error: …"), and
     * strict mode refused the longer text after the copy had landed, so the delivery was never acknowledged.
     */
    private boolean finish(String consumer, String messageId, int version, ConsumptionStatus to, String error) {
        String kept = error == null || error.length() <= MAX_ERROR ? error : error.substring(0, MAX_ERROR);
        return dao.finish(consumer, messageId, version, ConsumptionStatus.PROCESSING.code(), to.code(), kept) == 1;
    }

    private static ConsumptionRecordVO toVO(ConsumptionRecordPO po) {
        return new ConsumptionRecordVO(
                po.getConsumer(),
                po.getMessageId(),
                po.getRoutingKey(),
                po.getBody(),
                po.getStatus(),
                po.getAttempts(),
                po.getVersion(),
                po.getLastError(),
                po.getCreateTime(),
                po.getUpdateTime());
    }

    @Override
    public int deleteSucceededBefore(Instant succeededBefore, int limit) {
        return dao.deleteBefore(ConsumptionStatus.SUCCESS.code(), succeededBefore, limit);
    }
}
