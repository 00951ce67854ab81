package com.groupbuy.market.domain.switches.adapter.repository;

import com.groupbuy.market.domain.switches.model.valobj.SwitchChangeVO;
import com.groupbuy.market.domain.switches.model.valobj.SwitchName;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** The stored switch values (only those an operator set; the rest keep their configured default) and the audit. */
public interface ISwitchRepository {

    /** Stored values by switch; names this version does not know are left out. */
    Map<SwitchName, String> loadAll();

    /**
     * Stores one change of {@code name} and its audit row in one transaction that holds the switch's stored value
     * locked until it ends: {@code change} is given the value stored (or {@code unset}, the configured default, when
     * none is) and answers the change to store, or throws and nothing is stored. Two changes of one switch, on one
     * instance or two, thus never both start from the same value. Answers the change as recorded, with its audit id.
     */
    SwitchChangeVO change(SwitchName name, String unset, Function<String, SwitchChangeVO> change);

    /** Audit rows, newest first. */
    List<SwitchChangeVO> changes(int offset, int limit);
}
