package com.groupbuy.market.domain.switches.model.valobj;

import com.groupbuy.market.types.enums.ResponseCode;
import com.groupbuy.market.types.exception.AppException;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Every live switch, by the name operators use, with the rule its value must follow. A value is text; each switch
 * checks it and writes it back in one canonical form (so the audit shows what is in force, and two spellings of the
 * same value compare equal). A refused value is {@code 0002} naming the rule, and nothing is stored.
 */
public enum SwitchName {

    /** Group buying off: every trial answers E0003. {@code true}/{@code false}. */
    DEGRADE("degrade") {
        @Override
        String canonical(String value) {
            if (!"true".equals(value) && !"false".equals(value)) {
                throw refused("true or false");
            }
            return value;
        }
    },
    /** Percent (0-100) of users admitted to trials, by a stable hash of the user id; others get E0004. */
    CUT_RANGE("cutRange") {
        @Override
        String canonical(String value) {
            int percent = integer(value, "a whole number from 0 to 100");
            if (percent < 0 || percent > 100) {
                throw refused("a whole number from 0 to 100");
            }
            return Integer.toString(percent);
        }
    },
    /** Pairs ({@code source:channel}, comma separated) refused on settlement and refund (E0105). */
    SETTLEMENT_BLACKLIST("settlementBlacklist") {
        @Override
        String canonical(String value) {
            return pairs(value, false);
        }
    },
    /** When not empty, only these pairs may settle and refund. */
    SETTLEMENT_ALLOWLIST("settlementAllowlist") {
        @Override
        String canonical(String value) {
            return pairs(value, false);
        }
    },
    /** Pairs that must sign lock, settlement and refund requests ({@code *} = every pair). */
    SIGNATURE_REQUIRED_FOR("signatureRequiredFor") {
        @Override
        String canonical(String value) {
            return pairs(value, true);
        }
    },
    /** Lock and settlement requests per second admitted for any one pair without its own limit; 0 = no limit. */
    RATE_LIMIT_PAIR_DEFAULT("rateLimitPairDefault") {
        @Override
        String canonical(String value) {
            return Integer.toString(rate(value));
        }
    },
    /** Per-pair limits, {@code source:channel=perSecond} comma separated; 0 = no limit for that pair. */
    RATE_LIMIT_PAIRS("rateLimitPairs") {
        @Override
        String canonical(String value) {
            Map<String, Integer> limits = new TreeMap<>();
            for (String entry : value.split(",")) {
                if (entry.isBlank()) {
                    continue;
                }
                int eq = entry.indexOf('=');
                if (eq < 0) {
                    throw refused("source:channel=perSecond entries, comma separated");
                }
                String pair = pairs(entry.substring(0, eq), false);
                if (pair.isEmpty() || pair.contains(",")) {
                    throw refused("source:channel=perSecond entries, comma separated");
                }
                limits.put(pair, rate(entry.substring(eq + 1)));
            }
            return limits.entrySet().stream()
                    .map(e -> e.getKey() + "=" + e.getValue())
                    .collect(Collectors.joining(","));
        }
    },
    /** Lock and settlement requests per second admitted for one user of one pair; 0 = no limit. */
    RATE_LIMIT_USER("rateLimitUser") {
        @Override
        String canonical(String value) {
            return Integer.toString(rate(value));
        }
    };

    private static final int MAX_RATE = 1_000_000;
    private static final int MAX_VALUE_LENGTH = 4000;

    private final String key;

    SwitchName(String key) {
        this.key = key;
    }

    public String key() {
        return key;
    }

    /** The switch operators call {@code key}, or 0002 listing the names there are. */
    public static SwitchName of(String key) {
        return Arrays.stream(values())
                .filter(s -> s.key.equals(key))
                .findFirst()
                .orElseThrow(() -> new AppException(
                        ResponseCode.ILLEGAL_PARAMETER,
                        "illegal parameter: name must be one of "
                                + Arrays.stream(values()).map(SwitchName::key).collect(Collectors.joining(", "))));
    }

    /** The value in its canonical form, or 0002 naming the rule. */
    public String check(String value) {
        if (value == null || value.length() > MAX_VALUE_LENGTH) {
            throw refused("present and at most " + MAX_VALUE_LENGTH + " characters");
        }
        return canonical(value.trim());
    }

    abstract String canonical(String value);

    AppException refused(String rule) {
        return new AppException(
                ResponseCode.ILLEGAL_PARAMETER, "illegal parameter: value of " + key + " must be " + rule);
    }

    int integer(String value, String rule) {
        if (value.isEmpty() || value.length() > 9 || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw refused(rule);
        }
        return Integer.parseInt(value);
    }

    int rate(String value) {
        int rate = integer(value.trim(), "a whole number of requests per second from 0 (no limit) to " + MAX_RATE);
        if (rate > MAX_RATE) {
            throw refused("a whole number of requests per second from 0 (no limit) to " + MAX_RATE);
        }
        return rate;
    }

    /** Comma-separated {@code source:channel} entries (or {@code *} where allowed), sorted, without repeats. */
    String pairs(String value, boolean starAllowed) {
        TreeSet<String> entries = new TreeSet<>();
        for (String entry : value.split(",")) {
            String pair = entry.trim();
            if (pair.isEmpty()) {
                continue;
            }
            boolean star = starAllowed && "*".equals(pair);
            int colon = pair.indexOf(':');
            if (!star
                    && (colon <= 0
                            || colon == pair.length() - 1
                            || pair.indexOf(':', colon + 1) >= 0
                            || colon > 16
                            || pair.length() - colon - 1 > 16
                            || !pair.chars().allMatch(c -> c > ' ' && c < 127 && c != ',' && c != '='))) {
                throw refused("source:channel entries, comma separated" + (starAllowed ? ", or *" : ""));
            }
            entries.add(pair);
        }
        return String.join(",", entries);
    }
}
