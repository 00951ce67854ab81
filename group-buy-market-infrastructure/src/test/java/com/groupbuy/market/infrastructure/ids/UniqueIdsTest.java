package com.groupbuy.market.infrastructure.ids;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class UniqueIdsTest {

    @Test
    void anIdIsThirtyTwoHexDigitsLikeAUuidWithoutItsDashes() {
        // webhook_id is VARCHAR(40) holding "msg_" + the id; claim_token is CHAR(36).
        assertThat(UniqueIds.hex32()).matches("[0-9a-f]{32}");
    }

    @Test
    void threadsDrawingAtOnceNeverGetTheSameId() throws Exception {
        Set<String> seen = ConcurrentHashMap.newKeySet();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Boolean>> runs = IntStream.range(0, 8)
                    .mapToObj(t -> pool.submit(() -> {
                        for (int i = 0; i < 10_000; i++) {
                            seen.add(UniqueIds.hex32());
                        }
                        return true;
                    }))
                    .toList();
            for (Future<Boolean> run : runs) {
                run.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(seen).hasSize(80_000);
    }
}
