package com.groupbuy.market.infrastructure.trade.repository;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.BiPredicate;
import java.util.function.Function;
import java.util.function.ToIntFunction;

/**
 * Reads asked concurrently, by any callers, read in one statement per batch by one reader thread ({@link GroupCommit},
 * no window: whatever queued while the previous batch was read, at most {@code maxBatch}), because most of a one-row
 * read's cost, in the app and in MariaDB, is per statement, not per key (#19: locks' first reads, {@link
 * LockLookupGroup}; settlements' order read, {@link SettlementLookupGroup}). The batch statement answers one row per
 * key, tagged with the key's place in the batch; each caller gets the row of its own place, and only when every key
 * has exactly one row and each row passes {@code belongs} (its key's own, checked by the caller's rules, not the
 * database's): otherwise the batch fails and every caller of it reads alone, as does a key that finds no one to share
 * with. The answers are the ones each read alone gives: a batch is read after each of its callers asked, outside any
 * transaction either way.
 *
 * @param <K> one caller's key
 * @param <R> its row
 */
public class GroupRead<K, R> implements AutoCloseable {

    private final GroupCommit<K, R> group;

    /**
     * @param name names the thread ({@code <name>-group-commit}) and the meters ({@code gbm.<name>.group.commit.batch},
     *     {@code ….fallbacks})
     * @param read one statement for the keys given: a row per key, in any order, each carrying its key's place
     * @param index a row's key's place in the batch
     * @param belongs whether a row is its key's own (a row that is not fails the batch)
     */
    public GroupRead(
            String name,
            String what,
            Function<List<K>, List<R>> read,
            ToIntFunction<R> index,
            BiPredicate<K, R> belongs,
            int maxBatch,
            MeterRegistry meters) {
        this.group = new GroupCommit<>(
                name,
                what,
                keys -> inKeyOrder(keys, read.apply(keys), index, belongs),
                true,
                maxBatch,
                Duration.ZERO,
                meters);
    }

    /** The key's row, read with others; empty when its caller is to read it alone. */
    public Optional<R> read(K key) {
        return group.submit(key);
    }

    /**
     * The rows in their keys' order; throws unless each key has exactly one row and each row belongs to its key.
     */
    static <K, R> List<R> inKeyOrder(List<K> keys, List<R> rows, ToIntFunction<R> index, BiPredicate<K, R> belongs) {
        Object[] placed = new Object[keys.size()];
        for (R row : rows) {
            int i = index.applyAsInt(row);
            if (i < 0 || i >= placed.length || placed[i] != null) {
                throw new IllegalStateException(keys.size() + " keys but a row for place " + i);
            }
            if (!belongs.test(keys.get(i), row)) {
                throw new IllegalStateException("the row for place " + i + " of " + keys.size() + " is not its key's");
            }
            placed[i] = row;
        }
        if (rows.size() != keys.size()) {
            throw new IllegalStateException(keys.size() + " keys but " + rows.size() + " rows");
        }
        @SuppressWarnings("unchecked")
        List<R> inOrder = (List<R>) Arrays.asList(placed);
        return inOrder;
    }

    @Override
    public void close() throws InterruptedException {
        group.close();
    }
}
