package com.groupbuy.market.infrastructure.gateway.guard;

import com.groupbuy.market.domain.outbox.adapter.port.INotifyGateway;
import com.groupbuy.market.domain.outbox.model.valobj.DeliveryResult;
import com.groupbuy.market.domain.outbox.model.valobj.NotifyTaskVO;
import com.groupbuy.market.domain.outbox.model.valobj.SendBudget;
import com.groupbuy.market.infrastructure.gateway.NotifyUrls;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import okhttp3.HttpUrl;

/**
 * A delivery channel behind the endpoint guards: HTTP callbacks by partner endpoint (host:port, with a bulkhead) and
 * under their partner's cap (source + channel, whatever endpoints it names), MQ
 * callbacks by broker (breaker only: the broker is ours and shared by every partner, its concurrency is the
 * publisher's). A task whose endpoint cannot be named (a URL that does not parse) goes straight to the channel,
 * which reports it as the failed attempt it is.
 */
public class GuardedNotifyGateway implements INotifyGateway {

    private final INotifyGateway channel;
    private final EndpointGuards guards;
    private final Function<NotifyTaskVO, String> endpointOf;
    private final boolean limitConcurrency;
    /** What a task's body adds to the slow-call duration before its call counts as slow. */
    private final Function<NotifyTaskVO, Duration> bodyTimeOf;

    private GuardedNotifyGateway(
            INotifyGateway channel,
            EndpointGuards guards,
            Function<NotifyTaskVO, String> endpointOf,
            boolean limitConcurrency,
            Function<NotifyTaskVO, Duration> bodyTimeOf) {
        this.channel = channel;
        this.guards = guards;
        this.endpointOf = endpointOf;
        this.limitConcurrency = limitConcurrency;
        this.bodyTimeOf = bodyTimeOf;
    }

    /**
     * Partner HTTP endpoints, one breaker and bulkhead per {@code http:host:port}, one cap per partner; a call slow
     * only past the slow-call duration plus its body's time at the minimum send rate ({@link SendBudget#bodyTime}).
     */
    public static GuardedNotifyGateway http(INotifyGateway http, EndpointGuards guards, SendBudget budget) {
        return new GuardedNotifyGateway(
                http, guards, GuardedNotifyGateway::httpEndpoint, true, task -> budget.bodyTime(task.getBodyBytes()));
    }

    /** The broker, one breaker named {@code mq:<broker>}: a publish is slow past the slow-call duration. */
    public static GuardedNotifyGateway mq(INotifyGateway mq, EndpointGuards guards, String broker) {
        String endpoint = "mq:" + broker;
        return new GuardedNotifyGateway(mq, guards, task -> endpoint, false, task -> Duration.ZERO);
    }

    /** {@code http:host:port} of an HTTP callback's URL, null when it does not parse. */
    public static String httpEndpoint(NotifyTaskVO task) {
        HttpUrl url = task.getNotifyUrl() == null
                ? null
                : NotifyUrls.parse(task.getNotifyUrl().trim());
        return url == null ? null : "http:" + url.host() + ":" + url.port();
    }

    /**
     * {@code http:host:port source/channel}, the name an HTTP callback's breaker and bulkhead are kept under
     * ({@link EndpointGuards#ofPartner}), null when its URL does not parse: what a page's sends queue by
     * (EndpointQueues). Queued by host:port alone, one partner's hanging sends to a host and port (a caller's choice in
     * its notifyUrl) held every place another partner's callbacks to that host waited for.
     */
    public static String httpPartnerEndpoint(NotifyTaskVO task) {
        String endpoint = httpEndpoint(task);
        return endpoint == null ? null : EndpointGuards.ofPartner(endpoint, task.getSource(), task.getChannel());
    }

    @Override
    public DeliveryResult groupBuyNotify(NotifyTaskVO task) {
        String endpoint = endpointOf.apply(task);
        if (endpoint == null) {
            return channel.groupBuyNotify(task);
        }
        // HTTP: the partner's cap too (its source and channel, whatever endpoint this lock names).
        return guards.call(
                endpoint,
                task.getSource(),
                task.getChannel(),
                limitConcurrency,
                bodyTimeOf.apply(task),
                () -> channel.groupBuyNotify(task));
    }

    /**
     * A batch to one endpoint without a bulkhead (the broker: MQ pages published before their confirms, #14) asks the
     * breaker once and goes to the channel as the one batch it is, so the guard does not undo the batching; its
     * outcomes are counted one by one. Anything else is guarded task by task.
     */
    @Override
    public List<DeliveryResult> deliverAll(List<NotifyTaskVO> tasks) {
        String endpoint = tasks.isEmpty() ? null : endpointOf.apply(tasks.get(0));
        boolean oneEndpoint = endpoint != null && tasks.stream().allMatch(t -> endpoint.equals(endpointOf.apply(t)));
        if (limitConcurrency || !oneEndpoint) {
            return INotifyGateway.super.deliverAll(tasks);
        }
        return guards.callBatch(endpoint, tasks.size(), () -> channel.deliverAll(tasks));
    }
}
