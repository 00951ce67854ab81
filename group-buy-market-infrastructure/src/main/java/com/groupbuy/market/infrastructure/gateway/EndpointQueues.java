package com.groupbuy.market.infrastructure.gateway;

import com.groupbuy.market.domain.outbox.adapter.port.INotifyGateway;
import com.groupbuy.market.domain.outbox.model.valobj.DeliveryResult;
import com.groupbuy.market.domain.outbox.model.valobj.NotifyTaskVO;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * #19: the HTTP callbacks of compensation pages, several in flight at once. Per partner endpoint at most
 * {@code perEndpoint} of this instance's pages' sends are in flight together (all lanes counted, the size of the
 * endpoint's bulkhead); the rest wait in memory, in the order they came, and start on {@code executor} as those end. So
 * a backlog for one partner goes out as fast as its bulkhead allows instead of most of it being refused and put back
 * for a second (#17 sent one callback per lane at a time, eight lanes against a bulkhead of four).
 * <p>
 * No thread waits for a permit: a queued send is a task in memory, not a parked thread. Each send asks its page's
 * {@code mayStart} about its task when it starts (its lease must leave room for a whole send of its body) and is not
 * made otherwise. A send the
 * channel still refuses as busy (the endpoint's bulkhead full of calls made elsewhere, such as the after-commit
 * hand-off) goes back to the head of its queue when another of ours to that endpoint is in flight, to start when that
 * one ends; with none in flight the refusal is the result (its task is put back unsent, as before). The breaker is
 * untouched: every send is still one call through it.
 * <p>
 * A single task ({@link #groupBuyNotify}, the after-commit hand-off, a re-drive) is sent by the caller's thread, never
 * queued: a hand-off thread must not wait behind a partner's other callbacks. A page, even of one task, is queued.
 */
public class EndpointQueues implements INotifyGateway {

    private final INotifyGateway channel;
    private final Function<NotifyTaskVO, String> endpointOf;
    private final int perEndpoint;
    private final Executor executor;
    private final Predicate<DeliveryResult> busy;
    /**
     * One per endpoint with sends queued or in flight. An endpoint is what {@code endpointOf} names: in production the
     * partner and the host:port of a lock's {@code notifyUrl} (the key of its bulkhead), which the caller chooses, so a
     * queue is dropped once it is empty: kept for every endpoint ever sent to, the map grew with each new host or port.
     */
    private final Map<String, Queue> queues = new ConcurrentHashMap<>();

    /**
     * @param executor must not reject; it runs the sends ({@code perEndpoint} per endpoint at most)
     * @param busy whether a result is the channel's refusal for too many calls in flight to the endpoint
     */
    public EndpointQueues(
            INotifyGateway channel,
            Function<NotifyTaskVO, String> endpointOf,
            int perEndpoint,
            Executor executor,
            Predicate<DeliveryResult> busy) {
        this.channel = channel;
        this.endpointOf = endpointOf;
        this.perEndpoint = Math.max(1, perEndpoint);
        this.executor = executor;
        this.busy = busy;
    }

    @Override
    public DeliveryResult groupBuyNotify(NotifyTaskVO task) {
        return channel.groupBuyNotify(task);
    }

    @Override
    public List<DeliveryResult> deliverAll(List<NotifyTaskVO> tasks) {
        return channel.deliverAll(tasks);
    }

    @Override
    public List<DeliveryResult> deliverEach(List<NotifyTaskVO> tasks, Predicate<NotifyTaskVO> mayStart) {
        // A page of one is queued too: sent at once, it was refused by the bulkhead this endpoint's queued sends held.
        List<CompletableFuture<DeliveryResult>> pending = new ArrayList<>(tasks.size());
        for (NotifyTaskVO task : tasks) {
            CompletableFuture<DeliveryResult> result = new CompletableFuture<>();
            pending.add(result);
            String endpoint = endpointOf.apply(task);
            if (endpoint == null) {
                // No endpoint to name (a URL that does not parse): the channel reports the failed attempt at once.
                result.complete(mayStart.test(task) ? channel.sendContained(task) : null);
            } else {
                Send send = new Send(task, mayStart, result);
                while (!queues.computeIfAbsent(endpoint, Queue::new).submit(send)) {
                    // That queue emptied and left the map meanwhile: the endpoint's next queue takes it.
                }
            }
        }
        List<DeliveryResult> results = new ArrayList<>(tasks.size());
        for (CompletableFuture<DeliveryResult> result : pending) {
            results.add(result.join());
        }
        return results;
    }

    private record Send(
            NotifyTaskVO task, Predicate<NotifyTaskVO> mayStart, CompletableFuture<DeliveryResult> result) {}

    /** One endpoint's sends: how many are in flight, and those waiting for one of them to end. */
    private final class Queue {
        private final String endpoint;
        private final Deque<Send> waiting = new ArrayDeque<>();
        private int inFlight;
        /** Emptied and removed from the map: takes no more sends. */
        private boolean retired;

        Queue(String endpoint) {
            this.endpoint = endpoint;
        }

        /** False when this queue has been retired: the caller submits to the endpoint's current queue. */
        boolean submit(Send send) {
            synchronized (this) {
                if (retired) {
                    return false;
                }
                waiting.addLast(send);
            }
            pump();
            return true;
        }

        /** Starts waiting sends while fewer than {@code perEndpoint} are in flight. */
        private void pump() {
            List<Send> start = new ArrayList<>();
            synchronized (this) {
                while (inFlight < perEndpoint && !waiting.isEmpty()) {
                    start.add(waiting.pollFirst());
                    inFlight++;
                }
            }
            for (Send send : start) {
                executor.execute(() -> run(send));
            }
        }

        private void run(Send send) {
            boolean requeued = false;
            try {
                if (!send.mayStart().test(send.task())) {
                    send.result().complete(null);
                    return;
                }
                // Contained: a send completed exceptionally failed the whole page's join, the sends of the other
                // tasks already made included, and none of their outcomes was recorded.
                DeliveryResult result = channel.sendContained(send.task());
                if (busy.test(result)) {
                    synchronized (this) {
                        // Another of ours is in flight: this one starts when that one ends (its end pumps). Put back
                        // and counted out in one step, so two refused at once never both wait for the other.
                        if (inFlight > 1) {
                            waiting.addFirst(send);
                            inFlight--;
                            requeued = true;
                        }
                    }
                }
                if (!requeued) {
                    send.result().complete(result);
                }
            } catch (RuntimeException e) {
                send.result().complete(DeliveryResult.sendThrew(e, 0));
            } catch (Throwable e) {
                send.result().completeExceptionally(e);
            } finally {
                // A requeued send does not pump: it would only be refused again at once. Whichever send of ours ends
                // next starts it (one was in flight when it was put back).
                if (!requeued) {
                    synchronized (this) {
                        inFlight--;
                    }
                    pump();
                    retireIfEmpty();
                }
            }
        }

        /** Leaves the map once nothing waits and nothing is in flight (under the lock, so no send is stranded). */
        private void retireIfEmpty() {
            synchronized (this) {
                if (inFlight == 0 && waiting.isEmpty() && !retired) {
                    retired = true;
                    queues.remove(endpoint, this);
                }
            }
        }
    }
}
