package com.groupbuy.market.domain.switches.adapter.repository;

import com.groupbuy.market.domain.switches.model.valobj.SwitchChangeVO;
import com.groupbuy.market.domain.switches.model.valobj.SwitchName;
import java.util.List;
import java.util.Map;

/** The stored switch values (only those an operator set; the rest keep their configured default) and the audit. */
public interface ISwitchRepository {

    /** Stored values by switch; names this version does not know are left out. */
    Map<SwitchName, String> loadAll();

    /** Stores the value and its audit row in one transaction. */
    void save(SwitchChangeVO change);

    /** Audit rows, newest first. */
    List<SwitchChangeVO> changes(int offset, int limit);
}
