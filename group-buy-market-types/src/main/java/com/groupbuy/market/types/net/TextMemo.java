package com.groupbuy.market.types.net;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Answers of a pure function of a text, kept per exact text (#19: a lock's notifyUrl was parsed three times and its
 * host matched by a regex on every request, for the few URLs partners send). The key is the text as given, compared
 * by {@link String#equals}: case, spaces and every other character count, so a kept answer is the answer recomputed.
 * Bounded: past {@code max} distinct texts it starts over, so a flood of distinct texts costs a computation each, as
 * without it, and never more memory than {@code max} entries. Texts longer than {@code maxLength} are computed and not
 * kept. An answer that throws is not kept.
 */
final class TextMemo<V> {

    private final int max;
    private final int maxLength;
    private final Function<String, V> compute;
    private final ConcurrentHashMap<String, V> kept = new ConcurrentHashMap<>();

    TextMemo(int max, int maxLength, Function<String, V> compute) {
        this.max = max;
        this.maxLength = maxLength;
        this.compute = compute;
    }

    /** The answer for this exact text: kept, or computed (and kept when the text is not too long and not null). */
    V get(String text) {
        if (text == null) {
            return compute.apply(null);
        }
        V answer = kept.get(text);
        if (answer != null) {
            return answer;
        }
        answer = compute.apply(text);
        if (answer != null && text.length() <= maxLength) {
            if (kept.size() >= max) {
                kept.clear();
            }
            kept.put(text, answer);
        }
        return answer;
    }

    int size() {
        return kept.size();
    }
}
