package com.groupbuy.market.support;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Requests sent together from a few threads, released at once: how often each kind of answer came back (a code, or
 * a name the test gives an answer, such as "member price"). A request that throws fails the burst.
 */
public final class ConcurrentBurst {

    private ConcurrentBurst() {}

    /** Each request returns its answer's kind; the kinds counted, in name order. Bounded: 120 s per request. */
    public static Map<String, Integer> answers(int threads, List<Callable<String>> requests) throws Exception {
        Map<String, AtomicInteger> kinds = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> sent = new ArrayList<>();
            for (Callable<String> request : requests) {
                sent.add(pool.submit(() -> {
                    start.await();
                    kinds.computeIfAbsent(request.call(), k -> new AtomicInteger())
                            .incrementAndGet();
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> request : sent) {
                request.get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdown();
        }
        Map<String, Integer> answers = new TreeMap<>();
        kinds.forEach((kind, count) -> answers.put(kind, count.get()));
        return answers;
    }
}
