package com.groupbuy.market.infrastructure.gateway;

import com.groupbuy.market.types.net.NotifyUrlPolicy;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import okhttp3.Dns;
import org.jetbrains.annotations.NotNull;

/**
 * Resolves callback hosts and refuses any name that resolves to an address the policy forbids, at delivery time:
 * a URL checked at lock time may point elsewhere by the time the team completes.
 */
public class PublicOnlyDns implements Dns {

    private final NotifyUrlPolicy policy;

    public PublicOnlyDns(NotifyUrlPolicy policy) {
        this.policy = policy;
    }

    @NotNull
    @Override
    public List<InetAddress> lookup(@NotNull String hostname) throws UnknownHostException {
        List<InetAddress> addresses = Dns.SYSTEM.lookup(hostname);
        for (InetAddress address : addresses) {
            if (!policy.isAllowed(address)) {
                throw new UnknownHostException(hostname + " resolves to a refused address " + address.getHostAddress());
            }
        }
        return addresses;
    }
}
