package com.groupbuy.market.infrastructure.switches.repository;

import com.groupbuy.market.domain.switches.adapter.repository.ISwitchRepository;
import com.groupbuy.market.domain.switches.model.valobj.SwitchChangeVO;
import com.groupbuy.market.domain.switches.model.valobj.SwitchName;
import com.groupbuy.market.infrastructure.mybatis.DeadlockVictims;
import com.groupbuy.market.infrastructure.switches.dao.ISwitchDao;
import com.groupbuy.market.infrastructure.switches.po.SwitchChangePO;
import com.groupbuy.market.infrastructure.switches.po.SwitchValuePO;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;

/** #17: switch values and their audit rows, written together. */
@Repository
public class SwitchRepository implements ISwitchRepository {

    private final ISwitchDao dao;
    private final TransactionTemplate transaction;

    public SwitchRepository(ISwitchDao dao, TransactionTemplate transaction) {
        this.dao = dao;
        this.transaction = transaction;
    }

    @Override
    public Map<SwitchName, String> loadAll() {
        Map<SwitchName, String> values = new EnumMap<>(SwitchName.class);
        for (SwitchValuePO row : dao.queryAll()) {
            // A name an older or newer version wrote and this one does not know is left alone.
            Arrays.stream(SwitchName.values())
                    .filter(n -> n.key().equals(row.getName()))
                    .findFirst()
                    .ifPresent(n -> values.put(n, row.getValue()));
        }
        return values;
    }

    @Override
    public SwitchChangeVO change(SwitchName name, String unset, Function<String, SwitchChangeVO> change) {
        // Two first changes of one switch insert its row at once: a deadlock's victim is rolled back whole and made
        // again on the row the other one stored.
        return DeadlockVictims.writeAgain(
                () -> transaction.execute(status -> {
                    dao.insertIfAbsent(name.key(), unset);
                    SwitchChangeVO decided = change.apply(dao.queryValueForUpdate(name.key()));
                    SwitchChangePO row = new SwitchChangePO();
                    row.setName(decided.name());
                    row.setOldValue(decided.oldValue());
                    row.setNewValue(decided.newValue());
                    row.setChangedBy(decided.changedBy());
                    row.setRemoteAddress(decided.remoteAddress());
                    row.setChangedAt(decided.changedAt());
                    dao.upsert(decided.name(), decided.newValue(), decided.changedAt());
                    dao.insertChange(row);
                    return new SwitchChangeVO(
                            row.getId(),
                            decided.name(),
                            decided.oldValue(),
                            decided.newValue(),
                            decided.changedBy(),
                            decided.remoteAddress(),
                            decided.changedAt());
                }),
                () -> "switch " + name.key() + " change");
    }

    @Override
    public List<SwitchChangeVO> changes(int offset, int limit) {
        return dao.queryChanges(offset, limit).stream()
                .map(r -> new SwitchChangeVO(
                        r.getId(),
                        r.getName(),
                        r.getOldValue(),
                        r.getNewValue(),
                        r.getChangedBy(),
                        r.getRemoteAddress(),
                        r.getChangedAt()))
                .toList();
    }
}
