package com.groupbuy.market.infrastructure.gateway;

import com.sun.management.UnixOperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.util.function.Supplier;

/**
 * Whether our process is at its file descriptor limit now (RLIMIT_NOFILE's soft limit), asked at the moment a name
 * lookup failed: the JDK reports a lookup that could open neither /etc/hosts nor a socket to the name server as the
 * name not resolving ("Name or service not known"), with no trace of the descriptors, so the count is the only
 * witness. Counting reads /proc/self/fd, which itself takes a descriptor: at the limit the JDK fails it with an
 * InternalError naming errno 24 (EMFILE), which says the same; errno 23 (ENFILE) says the system's table is full, which
 * no count of ours shows otherwise.
 */
final class OwnDescriptorLimit implements Supplier<String> {

    /**
     * Descriptors below the limit still counted as at it: others of our threads open and close sockets between the
     * lookup's failure and the count. Small, so a process that merely runs near its limit does not pass a partner's
     * own failed lookups off as ours (retried without a try for as long as it stays there).
     */
    static final long SLACK = 16;

    /** What says the limit is reached ("4089 of 4096 descriptors open"), or null when it is not or cannot be told. */
    @Override
    public String get() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (!(os instanceof UnixOperatingSystemMXBean unix)) {
            return null;
        }
        try {
            return reached(unix.getOpenFileDescriptorCount(), unix.getMaxFileDescriptorCount());
        } catch (InternalError e) {
            String message = e.getMessage();
            return message != null && (message.startsWith("errno: 24 ") || message.startsWith("errno: 23 "))
                    ? "no descriptor left even to count them (" + message.strip() + ")"
                    : null;
        }
    }

    static String reached(long open, long max) {
        if (open < 0 || max <= 0 || open < max - SLACK) {
            return null;
        }
        return open + " of " + max + " descriptors open";
    }
}
