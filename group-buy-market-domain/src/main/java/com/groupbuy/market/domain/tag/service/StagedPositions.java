package com.groupbuy.market.domain.tag.service;

import java.util.BitSet;
import java.util.HashSet;
import java.util.Set;

/**
 * The distinct bit positions an import run staged, which is what its staging bitmap must hold when it is published. A
 * member row deleted and written again while the run pages (a new row id, the same partner user) is read twice but is
 * one bit, so the rows read are not the count. Kept as a bitmap of its own: positions are dense (given once, in order),
 * so it costs what the tag's Redis bitmap costs, about the highest position / 8 bytes; a position beyond an int (two
 * billion partner users ever tagged) is kept in a set.
 */
final class StagedPositions {

    private final BitSet low = new BitSet();
    private final Set<Long> high = new HashSet<>();

    void addAll(long[] positions) {
        for (long position : positions) {
            if (position >= 0 && position <= Integer.MAX_VALUE) {
                low.set((int) position);
            } else {
                high.add(position);
            }
        }
    }

    long count() {
        return low.cardinality() + (long) high.size();
    }
}
