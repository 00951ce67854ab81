package com.groupbuy.market.domain.switches.model.valobj;

import java.util.EnumMap;
import java.util.Map;

/**
 * Test support: a value for every switch, as a configuration with nothing set gives them; change what a test needs.
 * Shared with the app's tests through this module's test-jar.
 */
public final class SwitchValues {

    private SwitchValues() {}

    /** Group buying on, everyone admitted, no lists, no rate limits; a fresh map each call. */
    public static Map<SwitchName, String> unset() {
        Map<SwitchName, String> values = new EnumMap<>(SwitchName.class);
        for (SwitchName name : SwitchName.values()) {
            values.put(name, "");
        }
        values.put(SwitchName.DEGRADE, "false");
        values.put(SwitchName.CUT_RANGE, "100");
        values.put(SwitchName.RATE_LIMIT_PAIR_DEFAULT, "0");
        values.put(SwitchName.RATE_LIMIT_USER, "0");
        return values;
    }
}
