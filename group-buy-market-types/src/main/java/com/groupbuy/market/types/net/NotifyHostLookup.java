package com.groupbuy.market.types.net;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * The lock-time check of a partner's notifyUrl host ({@link NotifyUrlPolicy#addressRefusal}), bounded. The partner
 * names the host, so it runs the name server that answers for it and may answer slowly or never; the system resolver
 * cannot be interrupted. So a name is looked up on a {@link ResolverPool} of its own ({@code threads}, no queue) and
 * waited for at most {@code timeout} on the request thread:
 * <ul>
 *   <li>one lookup per host at a time: requests naming a host being looked up wait for that lookup, until its own
 *       deadline (its start plus {@code timeout}), never a new one's; past it they are refused at once while it runs
 *       on — a silent name costs one resolver thread however often it is sent;</li>
 *   <li>one partner (source + channel) starts at most {@code maxPerPartner} lookups running at once: its silent
 *       names leave the rest of the pool to other partners' new hosts; over it the partner's request naming a host
 *       not being looked up is refused "busy";</li>
 *   <li>each answer (addresses allowed, refused, or no such host) is kept {@code ttl} (failures
 *       {@code failureTtl}) for at most {@code maxHosts} hosts: a host seen recently needs no resolver thread;</li>
 *   <li>no free resolver thread (or the partner's share in use): the request is refused ("busy, try again"), unless
 *       the host had an allowed answer before, which is then used while a fresh lookup waits for a thread or runs
 *       (the delivery checks the addresses again when it connects, {@code PublicOnlyDns}). Hosts partners use stay
 *       served while silent names hold every resolver thread; only a host never seen (or not for {@code ttl}) is
 *       refused meanwhile;</li>
 *   <li>an address written as such (IPv4 dotted quad, bracketed IPv6) is checked at once, nothing to resolve.</li>
 * </ul>
 * Refusals are returned as the text of an {@code E0204}; null means the host may be called back.
 */
public final class NotifyHostLookup {

    public static final String TIMED_OUT = "notifyUrl host did not resolve in time";
    public static final String BUSY = "notifyUrl host lookups are busy, try again";
    public static final String UNKNOWN = "notifyUrl host does not resolve";

    /** IPv4 dotted quads' answers kept ({@link TextMemo}): a pure function of the text and the policy. */
    private static final int KEPT_QUADS = 256;

    /** The name lookup the policy is applied to: the system's, or a test's. */
    @FunctionalInterface
    public interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    private final NotifyUrlPolicy policy;
    private final Resolver resolver;
    private final long ttlNanos;
    private final long failureTtlNanos;
    private final int maxHosts;
    private final LongSupplier nanoTime;
    private final ResolverPool<Answer> lookups;
    /** Hosts' finished answers; lookups under way are the pool's. */
    private final Map<String, Answer> hosts = new ConcurrentHashMap<>();
    /**
     * Answers for hosts written as IPv4 dotted quads, per exact text (#19: parsed by the JDK and classified on every
     * lock). Nothing is looked up for them, so the answer cannot change while this runs; bracketed IPv6 addresses are
     * checked every time (a zone names an interface of this machine).
     */
    private final TextMemo<Optional<String>> quads = new TextMemo<>(KEPT_QUADS, 15, this::literalRefusal);

    public NotifyHostLookup(
            NotifyUrlPolicy policy,
            Duration timeout,
            int threads,
            int maxPerPartner,
            int maxHosts,
            Duration ttl,
            Duration failureTtl) {
        this(
                policy,
                InetAddress::getAllByName,
                timeout,
                threads,
                maxPerPartner,
                maxHosts,
                ttl,
                failureTtl,
                System::nanoTime);
    }

    public NotifyHostLookup(
            NotifyUrlPolicy policy,
            Resolver resolver,
            Duration timeout,
            int threads,
            int maxPerPartner,
            int maxHosts,
            Duration ttl,
            Duration failureTtl,
            LongSupplier nanoTime) {
        if (timeout.isNegative() || timeout.isZero() || ttl.isNegative() || failureTtl.isNegative()) {
            throw new IllegalArgumentException("timeout must be positive, ttl and failureTtl not negative");
        }
        if (threads < 1 || maxPerPartner < 1 || maxHosts < 1) {
            throw new IllegalArgumentException("threads, maxPerPartner and maxHosts must be at least 1");
        }
        this.policy = policy;
        this.resolver = resolver;
        this.ttlNanos = ttl.toNanos();
        this.failureTtlNanos = failureTtl.toNanos();
        this.maxHosts = maxHosts;
        this.nanoTime = nanoTime;
        this.lookups = new ResolverPool<>("notify-lock-dns", threads, maxPerPartner, timeout, this::resolve, nanoTime);
    }

    /**
     * Null when the host resolves, within the bound, to addresses the policy allows; else the E0204 text. The lock
     * is the partner's ({@code source}, {@code channel}): a lookup it starts counts against its share of the pool.
     */
    public String refusal(String host, String source, String channel) {
        if (isQuad(host)) {
            return quads.get(host).orElse(null);
        }
        if (isBracketed(host)) {
            return literalRefusal(host).orElse(null);
        }
        String key = host.toLowerCase(Locale.ROOT);
        Answer known = hosts.get(key);
        if (known != null && known.answers(nanoTime.getAsLong())) {
            known.hits.incrementAndGet();
            return known.refusal;
        }
        boolean allowedBefore = known != null && known.refusal == null;
        ResolverPool.Pending<Answer> pending = lookups.start(key, List.of(source, channel));
        if (pending == null) {
            // No thread for a fresh lookup: an earlier allowed answer is used (delivery checks again), else refused.
            return allowedBefore ? null : BUSY;
        }
        if (allowedBefore && !pending.isDone()) {
            return null;
        }
        ResolverPool.Result<Answer> result = lookups.await(pending);
        return switch (result.status()) {
            case ANSWERED -> result.value().refusal;
            case TIMED_OUT -> TIMED_OUT;
            case BUSY -> BUSY;
            case FAILED -> UNKNOWN;
        };
    }

    /** Hosts with an answer kept (for tests and metrics). */
    public int size() {
        return hosts.size();
    }

    /** Lookups admitted and not yet ended. */
    public int lookupsRunning() {
        return lookups.running();
    }

    /** The resolver pool (for its meters). */
    public ResolverPool<?> pool() {
        return lookups;
    }

    /** On a resolver thread: the host's addresses checked, and the answer kept before any waiter learns it. */
    private Answer resolve(String host) {
        String refusal;
        try {
            refusal = policy.addressRefusal(resolver.resolve(host));
        } catch (UnknownHostException | RuntimeException e) {
            refusal = UNKNOWN;
        }
        Answer answer = new Answer(refusal, nanoTime.getAsLong() + (refusal == null ? ttlNanos : failureTtlNanos));
        hosts.put(host, answer);
        if (hosts.size() > maxHosts) {
            evict(nanoTime.getAsLong());
        }
        return answer;
    }

    /**
     * Over {@code maxHosts}: a tenth of the bound is dropped, in this order — expired answers, refusals, allowed
     * answers never asked for again, then any other answer. Lookups still running are the pool's (at most
     * {@code threads}).
     */
    private void evict(long now) {
        int excess = hosts.size() - maxHosts + Math.max(1, maxHosts / 10);
        List<List<String>> ranks = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        hosts.forEach((host, answer) -> {
            int rank = !answer.answers(now) ? 0 : answer.refusal != null ? 1 : answer.hits.get() == 0 ? 2 : 3;
            ranks.get(rank).add(host);
        });
        for (List<String> rank : ranks) {
            for (String host : rank) {
                if (excess <= 0) {
                    return;
                }
                Answer answer = hosts.get(host);
                if (answer != null && hosts.remove(host, answer)) {
                    excess--;
                }
            }
        }
    }

    /** An address written as such: the JDK parses it without asking a name server. */
    private Optional<String> literalRefusal(String host) {
        try {
            return Optional.ofNullable(policy.addressRefusal(InetAddress.getAllByName(host)));
        } catch (UnknownHostException e) {
            return Optional.of(UNKNOWN);
        }
    }

    /** An IPv4 dotted quad or a bracketed IPv6 address: the JDK parses these without asking a name server. */
    static boolean isAddress(String host) {
        return isBracketed(host) || isQuad(host);
    }

    private static boolean isBracketed(String host) {
        return host.startsWith("[") && host.endsWith("]");
    }

    /** Four groups of one to three ASCII digits, each at most 255, joined by dots (no regex: it ran on every lock). */
    static boolean isQuad(String host) {
        int dots = 0;
        int digits = 0;
        int value = 0;
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            if (c >= '0' && c <= '9') {
                if (++digits > 3) {
                    return false;
                }
                value = value * 10 + (c - '0');
            } else if (c == '.' && digits > 0 && value <= 255 && dots < 3) {
                dots++;
                digits = 0;
                value = 0;
            } else {
                return false;
            }
        }
        return dots == 3 && digits > 0 && value <= 255;
    }

    /** A host's answer: the refusal (null: allowed), when it stops being used, and how often it was used. */
    private static final class Answer {

        final String refusal;
        final long expires;
        final AtomicInteger hits = new AtomicInteger();

        Answer(String refusal, long expires) {
            this.refusal = refusal;
            this.expires = expires;
        }

        boolean answers(long now) {
            return now - expires < 0;
        }
    }
}
