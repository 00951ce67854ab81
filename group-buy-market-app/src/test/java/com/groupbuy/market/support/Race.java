package com.groupbuy.market.support;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/** Calls released together from a start line, one thread each, answers in call order (the lock race tests). */
public final class Race {

    /** One racer's call; {@code i} is its number, 0 to threads - 1. */
    public interface Call {
        JsonNode call(int i) throws Exception;
    }

    private Race() {}

    public static List<JsonNode> run(int threads, Call call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<JsonNode>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                int n = i;
                futures.add(pool.submit((Callable<JsonNode>) () -> {
                    start.await();
                    return call.call(n);
                }));
            }
            start.countDown();
            List<JsonNode> answers = new ArrayList<>();
            for (Future<JsonNode> future : futures) {
                answers.add(future.get());
            }
            return answers;
        } finally {
            pool.shutdownNow();
        }
    }

    /** The named calls released together from a start line, one thread each; each result by its name. */
    public static <T> Map<String, T> together(Map<String, Callable<T>> calls) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(calls.size());
        CountDownLatch start = new CountDownLatch(1);
        try {
            Map<String, Future<T>> futures = new HashMap<>();
            calls.forEach((who, call) -> futures.put(who, pool.submit(() -> {
                start.await();
                return call.call();
            })));
            start.countDown();
            Map<String, T> results = new HashMap<>();
            for (Map.Entry<String, Future<T>> e : futures.entrySet()) {
                results.put(e.getKey(), e.getValue().get(60, TimeUnit.SECONDS));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }
}
