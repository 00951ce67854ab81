package com.groupbuy.market.domain.trade.service.refund;

import static org.assertj.core.api.Assertions.assertThat;

import com.groupbuy.market.domain.trade.adapter.repository.IConsumptionRecordRepository;
import com.groupbuy.market.domain.trade.model.valobj.ConsumptionRecordVO;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The page of records operators read: its offset and size, bounded to 1..200 records from page 0 on. */
class ConsumptionRecordOperationsTest {

    private final List<String> asked = new ArrayList<>();
    private final List<ConsumptionRecordVO> page =
            List.of(new ConsumptionRecordVO("c", "m1", "rk", "{}", ConsumptionRecordVO.FAIL, 3, 4, "boom", null, null));
    private final ConsumptionRecordOperations operations =
            new ConsumptionRecordOperations((IConsumptionRecordRepository) Proxy.newProxyInstance(
                    getClass().getClassLoader(),
                    new Class<?>[] {IConsumptionRecordRepository.class},
                    (proxy, method, args) -> {
                        if (!method.getName().equals("list")) {
                            throw new UnsupportedOperationException(method.getName());
                        }
                        asked.add(args[0] + " from " + args[1] + " up to " + args[2]);
                        return page;
                    }));

    @Test
    void aPageIsReadAtItsOffsetWithinTheBounds() {
        assertThat(operations.list(ConsumptionRecordVO.FAIL, 2, 10)).isSameAs(page);
        operations.list(null, -1, 500);
        operations.list(null, 3, 0);

        assertThat(asked).containsExactly("2 from 20 up to 10", "null from 0 up to 200", "null from 3 up to 1");
    }
}
