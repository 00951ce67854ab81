package com.groupbuy.market.domain.trade.service.refund;

import com.groupbuy.market.domain.trade.adapter.repository.IConsumptionRecordRepository;
import com.groupbuy.market.domain.trade.model.valobj.ConsumptionRecordVO;
import java.util.List;
import org.springframework.stereotype.Service;

/** What operators read of our consumers' records: above all the failed (dead-lettered) messages and why. */
@Service
public class ConsumptionRecordOperations {

    private static final int MAX_PAGE = 200;

    private final IConsumptionRecordRepository records;

    public ConsumptionRecordOperations(IConsumptionRecordRepository records) {
        this.records = records;
    }

    /** A page of records in this status (all when null), most recently changed first. */
    public List<ConsumptionRecordVO> list(Integer status, int page, int size) {
        int limit = Math.max(1, Math.min(MAX_PAGE, size));
        return records.list(status, Math.max(0, page) * limit, limit);
    }
}
