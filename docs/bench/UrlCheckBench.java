import com.groupbuy.market.infrastructure.gateway.NotifyUrls;
import com.groupbuy.market.types.net.NotifyHostLookup;
import com.groupbuy.market.types.net.NotifyUrlPolicy;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.time.Duration;

/** CPU ns per lock's notify-URL check, as the lock runs it: the controller's form check, the domain's host, the lookup. */
public class UrlCheckBench {
    static volatile Object sink;

    public static void main(String[] args) throws Exception {
        String url = args[0];
        int n = Integer.parseInt(args[1]);
        NotifyUrlPolicy policy = new NotifyUrlPolicy(true, false, NotifyUrls::sendable);
        NotifyHostLookup lookup = new NotifyHostLookup(policy, h -> new InetAddress[] {InetAddress.getByName("8.8.8.8")},
                Duration.ofSeconds(1), 4, 4, 1000, Duration.ofMinutes(5), Duration.ofSeconds(30), System::nanoTime);
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        for (int round = 0; round < 8; round++) {
            long c0 = mx.getCurrentThreadCpuTime();
            long a0 = mx instanceof com.sun.management.ThreadMXBean s ? s.getCurrentThreadAllocatedBytes() : 0;
            for (int i = 0; i < n; i++) {
                // Each request's text is a new String (Jackson reads it from the body): no cached hash.
                String text = new String(url.toCharArray());
                String form = policy.formRefusal(text);
                String host = NotifyUrlPolicy.hostOf(text.trim());
                String refusal = lookup.refusal(host, "s01", "c01");
                sink = form == null ? refusal : form;
            }
            long c1 = mx.getCurrentThreadCpuTime();
            long a1 = mx instanceof com.sun.management.ThreadMXBean s ? s.getCurrentThreadAllocatedBytes() : 0;
            System.out.printf("round %d: %.0f ns/check, %.0f B/check%n", round, (c1 - c0) / (double) n, (a1 - a0) / (double) n);
        }
    }
}
