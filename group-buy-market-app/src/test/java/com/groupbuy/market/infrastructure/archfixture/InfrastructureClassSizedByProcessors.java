package com.groupbuy.market.infrastructure.archfixture;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;

/** Breaks "nothing sizes itself from the processor count" (CPU-sized pools, the common pool); two calls it allows. */
public class InfrastructureClassSizedByProcessors {

    public ExecutorService pool() {
        return Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors() - 1);
    }

    public CompletableFuture<Integer> onTheCommonPool(List<Integer> values) {
        ForkJoinPool.commonPool().execute(() -> {});
        CompletableFuture.delayedExecutor(1, TimeUnit.SECONDS).execute(() -> {});
        return CompletableFuture.supplyAsync(
                () -> values.parallelStream().mapToInt(Integer::intValue).sum());
    }

    public CompletableFuture<Integer> onOurs(Executor ours) {
        CompletableFuture.delayedExecutor(1, TimeUnit.SECONDS, ours).execute(() -> {});
        return CompletableFuture.supplyAsync(() -> 1, ours);
    }
}
