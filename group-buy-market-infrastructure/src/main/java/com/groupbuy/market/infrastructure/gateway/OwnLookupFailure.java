package com.groupbuy.market.infrastructure.gateway;

import java.net.UnknownHostException;

/**
 * A callback host's lookup that failed on our side, not the partner's: our process had no descriptor left to read
 * the hosts file or open a socket to the name server, or our own resolver threads were all taken by other names. The
 * JDK words the first as a name that does not resolve, so it is told apart where it happens ({@link PublicOnlyDns})
 * and thrown as this type, which no partner can make: {@link OwnSocketFaults#of} finds it on the cause chain.
 */
public final class OwnLookupFailure extends UnknownHostException {

    private final String why;

    /** {@code why}: what of ours failed, without the host name (the partner's text). */
    OwnLookupFailure(String hostname, String why, Throwable cause) {
        super(hostname + ": " + why);
        this.why = why;
        if (cause != null) {
            initCause(cause);
        }
    }

    /** What of ours failed the lookup (no partner's text in it). */
    public String why() {
        return why;
    }
}
