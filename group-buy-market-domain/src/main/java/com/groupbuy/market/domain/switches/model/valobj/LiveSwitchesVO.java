package com.groupbuy.market.domain.switches.model.valobj;

import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The switches in force: one canonical value per {@link SwitchName}, with typed reads. Immutable; a change makes a
 * new one, so a request reads one consistent set even while an operator changes another switch.
 */
public final class LiveSwitchesVO {

    private final Map<SwitchName, String> values;

    private LiveSwitchesVO(Map<SwitchName, String> values) {
        this.values = Collections.unmodifiableMap(new EnumMap<>(values));
    }

    /** Every switch from {@code values}, each checked; a missing one is refused (the defaults name them all). */
    public static LiveSwitchesVO of(Map<SwitchName, String> values) {
        EnumMap<SwitchName, String> checked = new EnumMap<>(SwitchName.class);
        for (SwitchName name : SwitchName.values()) {
            if (!values.containsKey(name)) {
                throw new IllegalArgumentException("switch " + name.key() + " has no value");
            }
            checked.put(name, name.check(values.get(name)));
        }
        return new LiveSwitchesVO(checked);
    }

    /** These switches with {@code stored} values laid over them; a stored value that no longer checks is skipped. */
    public LiveSwitchesVO overlay(
            Map<SwitchName, String> stored, java.util.function.BiConsumer<SwitchName, RuntimeException> refused) {
        EnumMap<SwitchName, String> merged = new EnumMap<>(values);
        stored.forEach((name, value) -> {
            try {
                merged.put(name, name.check(value));
            } catch (RuntimeException e) {
                refused.accept(name, e);
            }
        });
        return new LiveSwitchesVO(merged);
    }

    public String value(SwitchName name) {
        return values.get(name);
    }

    /** Name → value, in declaration order, as the admin API lists them. */
    public Map<String, String> asMap() {
        Map<String, String> out = new LinkedHashMap<>();
        Arrays.stream(SwitchName.values()).forEach(n -> out.put(n.key(), values.get(n)));
        return out;
    }

    public boolean degrade() {
        return Boolean.parseBoolean(values.get(SwitchName.DEGRADE));
    }

    public int cutRange() {
        return Integer.parseInt(values.get(SwitchName.CUT_RANGE));
    }

    public Set<String> settlementBlacklist() {
        return set(SwitchName.SETTLEMENT_BLACKLIST);
    }

    public Set<String> settlementAllowlist() {
        return set(SwitchName.SETTLEMENT_ALLOWLIST);
    }

    public Set<String> signatureRequiredFor() {
        return set(SwitchName.SIGNATURE_REQUIRED_FOR);
    }

    /** Requests per second for this pair: its own limit if it has one, else the default; 0 = no limit. */
    public int pairRate(String source, String channel) {
        // One partner only: an entry's pair holds exactly one ':' (checked in SwitchName), see SourceChannelPolicy.
        String pair = source + ":" + channel;
        for (String entry : values.get(SwitchName.RATE_LIMIT_PAIRS).split(",")) {
            int eq = entry.indexOf('=');
            if (eq > 0 && entry.substring(0, eq).equals(pair)) {
                return Integer.parseInt(entry.substring(eq + 1));
            }
        }
        return Integer.parseInt(values.get(SwitchName.RATE_LIMIT_PAIR_DEFAULT));
    }

    public int userRate() {
        return Integer.parseInt(values.get(SwitchName.RATE_LIMIT_USER));
    }

    private Set<String> set(SwitchName name) {
        String value = values.get(name);
        return value.isEmpty() ? Set.of() : Arrays.stream(value.split(",")).collect(Collectors.toUnmodifiableSet());
    }
}
