package com.groupbuy.market.types.net;

import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Tells whether a call waits without timing it: while the call runs on the test's thread, a watcher opens
 * {@code answer} (lets a held lookup answer) the moment that thread waits for anything. A call that waited for the
 * held lookup comes back answered; one that did not wait comes back as it would have. Neither depends on the
 * machine's speed. Shared with the other modules' tests through this module's test-jar.
 */
public final class WaitProbe {

    private WaitProbe() {}

    public static <R> R answerIfItWaits(CountDownLatch answer, Callable<R> call) throws Exception {
        Thread caller = Thread.currentThread();
        Object decision = new Object();
        AtomicBoolean over = new AtomicBoolean();
        Thread watcher = new Thread(() -> {
            while (true) {
                synchronized (decision) {
                    if (over.get()) {
                        return;
                    }
                    Thread.State state = caller.getState();
                    if (state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING) {
                        answer.countDown();
                        return;
                    }
                }
                Thread.onSpinWait();
            }
        });
        watcher.setDaemon(true);
        watcher.start();
        try {
            return call.call();
        } finally {
            // Decided under the watcher's lock: waiting for the lock blocks, it does not wait, so no answer comes
            // after the call.
            synchronized (decision) {
                over.set(true);
            }
            watcher.join();
        }
    }
}
