package com.groupbuy.market.infrastructure.gateway;

import com.groupbuy.market.domain.outbox.model.valobj.DeliveryResult;
import com.groupbuy.market.types.exception.Causes;
import java.net.SocketException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A socket our own process could not open: out of file descriptors (EMFILE, or the system's table, ENFILE), no local
 * port or address to connect from (EADDRNOTAVAIL), no buffer space for a socket (ENOBUFS). Nothing left us, so the
 * partner failed nothing: such a send is not an attempt of its callback ({@link DeliveryResult#ownFault}: no try used,
 * no failure of the endpoint) and is tried again shortly. Charged to the partner, a burst of them used up healthy
 * partners' tries (callbacks ended FAIL, owed until an operator re-drives them) and opened their breakers.
 * <p>
 * Told by the kernel's error text as the JDK words it on Linux, on a {@link SocketException} of the failure's cause
 * chain only: no partner chooses that text (OkHttp quotes a partner's status line and headers in exceptions of other
 * types), so a partner cannot pass its own failures off as ours and be retried forever without a try used. A host
 * that is unreachable ({@code NoRouteToHostException}: "No route to host") is the partner's side, as before.
 * <p>
 * The host's name lookup comes first, and fails on our side too (out of descriptors, or our resolver threads all
 * taken): the JDK words that as a name that does not resolve, so {@link PublicOnlyDns} tells it apart where it fails
 * and throws an {@link OwnLookupFailure}, found here on the chain by its type.
 */
public final class OwnSocketFaults {

    /** How long a callback our own socket fault did not send waits before it is tried again, as for a full bulkhead. */
    public static final Duration RETRY_IN = Duration.ofSeconds(1);

    /** The kernel's words (as the JDK quotes them, sometimes with a parenthesised detail after) and what they mean. */
    private record Fault(String text, String meaning) {}

    private static final List<Fault> FAULTS = List.of(
            new Fault(
                    "Too many open files",
                    "our process is out of file descriptors: its limit (RLIMIT_NOFILE: ulimit -n, systemd's"
                            + " LimitNOFILE, the container's nofile) or the system's (fs.file-max) is reached"),
            new Fault(
                    "Cannot assign requested address",
                    "our host has no local port or address to connect from: its ephemeral ports"
                            + " (net.ipv4.ip_local_port_range) are taken, or its source address is gone"),
            new Fault(
                    "No buffer space available",
                    "our host's kernel has no buffer space for another socket (ENOBUFS: socket memory)"));

    private OwnSocketFaults() {}

    /** What of ours failed {@code failure}, naming the limit and the kernel's words; null when it is not ours. */
    public static String of(Throwable failure) {
        for (Throwable cause : Causes.of(failure)) {
            if (cause instanceof OwnLookupFailure lookup) {
                return lookup.why();
            }
            String message = cause.getMessage();
            if (!(cause instanceof SocketException) || message == null) {
                continue;
            }
            for (Fault fault : FAULTS) {
                if (message.startsWith(fault.text())) {
                    return fault.meaning() + " (" + cause.getClass().getSimpleName() + ": " + message + ")";
                }
            }
        }
        return null;
    }

    /** A send our own socket fault stopped: not sent, no try used, tried again {@link #RETRY_IN} later. */
    public static DeliveryResult notSent(Instant now, String why) {
        return DeliveryResult.ownFault(now.plus(RETRY_IN), why);
    }
}
