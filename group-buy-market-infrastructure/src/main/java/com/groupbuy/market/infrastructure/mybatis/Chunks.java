package com.groupbuy.market.infrastructure.mybatis;

import java.util.ArrayList;
import java.util.List;

/**
 * A long list cut into consecutive runs of at most {@code size}, for statements that name many rows at once (a
 * multi-row INSERT, an {@code IN (...)} list): each stays within a bounded SQL text and packet whatever the team size.
 */
public final class Chunks {

    private Chunks() {}

    /** Views of {@code list}, in order, each of at most {@code size} elements; none for an empty list. */
    public static <T> List<List<T>> of(List<T> list, int size) {
        if (size < 1) {
            throw new IllegalArgumentException("chunk size " + size);
        }
        List<List<T>> chunks = new ArrayList<>((list.size() + size - 1) / size);
        for (int from = 0; from < list.size(); from += size) {
            chunks.add(list.subList(from, Math.min(list.size(), from + size)));
        }
        return chunks;
    }
}
