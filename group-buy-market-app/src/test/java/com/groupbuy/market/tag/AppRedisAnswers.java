package com.groupbuy.market.tag;

import com.groupbuy.market.infrastructure.tag.port.TagBitmap;

/** Waiting for the app's own Redis client to be back after a test restarted its private Redis. */
final class AppRedisAnswers {

    private AppRedisAnswers() {}

    /**
     * Until the app's client answers five times in a row (bounded: 30 s): after the restart its pool may still hand out
     * connections the old server closed (each one answer of E0401, then reconnected), and one good answer does not mean
     * none is left.
     */
    static void await(TagBitmap bitmap) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 30_000;
        int inARow = 0;
        while (true) {
            try {
                bitmap.isLoaded("PROBE");
                if (++inARow == 5) {
                    return;
                }
                Thread.sleep(50);
            } catch (RuntimeException e) {
                inARow = 0;
                if (System.currentTimeMillis() > deadline) {
                    throw e;
                }
                Thread.sleep(250);
            }
        }
    }
}
