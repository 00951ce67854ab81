package com.groupbuy.market.config.xxljob;

import java.time.Duration;

/**
 * How the executor listens and where it registers.
 *
 * @param adminAddresses    the consoles' URLs, comma separated; empty = no console (the local schedulers drive us)
 * @param accessToken       the shared secret every request to and from the console carries; never empty
 * @param timeoutSeconds    timeout of calls to the console
 * @param appname           the executor's AppName in the console
 * @param address           the URL the console calls us at; empty = {@code http://ip:port/}
 * @param ip                the address we listen on (and register, when {@code address} is empty)
 * @param port              the port we listen on; 0 = a free port chosen by the system (registered as bound)
 * @param logPath           where job logs go
 * @param logRetentionDays  days job logs are kept (below 3 = kept forever)
 * @param registryInterval  how often we register (the console drops an executor silent for 90 s)
 * @param maxConnections    connections open at once from addresses that have not presented the right token lately
 */
public record ExecutorSettings(
        String adminAddresses,
        String accessToken,
        int timeoutSeconds,
        String appname,
        String address,
        String ip,
        int port,
        String logPath,
        int logRetentionDays,
        Duration registryInterval,
        int maxConnections) {

    public boolean hasConsole() {
        return adminAddresses != null && !adminAddresses.isBlank();
    }
}
