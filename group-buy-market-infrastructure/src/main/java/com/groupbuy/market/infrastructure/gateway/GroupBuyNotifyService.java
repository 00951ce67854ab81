package com.groupbuy.market.infrastructure.gateway;

import com.groupbuy.market.domain.outbox.adapter.port.INotifyGateway;
import com.groupbuy.market.domain.outbox.model.valobj.DeliveryResult;
import com.groupbuy.market.domain.outbox.model.valobj.NotifyTaskVO;
import com.groupbuy.market.domain.outbox.model.valobj.SendBudget;
import com.groupbuy.market.types.common.Constants;
import com.groupbuy.market.types.security.WebhookSignature;
import com.groupbuy.market.types.text.LogSafeText;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import lombok.extern.slf4j.Slf4j;
import okhttp3.Call;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * Posts a callback on the one shared OkHttp client (its Dns refuses non-public addresses; redirects are not
 * followed). Delivered means HTTP 2xx and the body {@code success}; every other outcome, including no answer at
 * all, is a failed attempt reported to the caller, never thrown, but for a socket our own process could not open
 * ({@link OwnSocketFaults}): not sent, no try used.
 * <p>
 * With a {@link SendBudget} each call is bounded by its body's budget instead of the client's one call timeout: the
 * base window plus the time the body's bytes take at the slowest partner link served, and that time is added to the
 * call's read and write timeouts too (the last bytes of a body the socket's buffer took at once still cross the link
 * before the partner can answer). A body whose budget the lease caps is sent within the cap and logged as such.
 */
@Slf4j
public class GroupBuyNotifyService implements INotifyGateway {

    private static final MediaType JSON = MediaType.get("application/json; charset=utf-8");
    private static final int MAX_BODY_READ = 1024;

    /**
     * The {@code User-Agent} of every callback. OkHttp's own default names the library and its exact version
     * ({@code okhttp/5.3.2}): every partner, and anyone a lock's {@code notifyUrl} names, learnt which HTTP client we
     * run, at which release, to look up its known flaws.
     */
    static final String USER_AGENT = "group-buy-market-callback";

    private final OkHttpClient client;
    private final BiFunction<String, String, String> secretOf;
    private final Clock clock;
    /** Null: every call has the client's own timeouts, whatever its body. */
    private final SendBudget budget;

    /** {@code secretOf} maps source + channel to the signing secret, or null when none is configured. */
    public GroupBuyNotifyService(OkHttpClient client, BiFunction<String, String, String> secretOf, Clock clock) {
        this(client, secretOf, clock, null);
    }

    /**
     * Each call bounded by its body's {@code budget} (its base is the client's call timeout, connect + write + read);
     * null: the client's timeouts for every body.
     */
    public GroupBuyNotifyService(
            OkHttpClient client, BiFunction<String, String, String> secretOf, Clock clock, SendBudget budget) {
        // The same pool and dispatcher; only the interceptor that lengthens a big body's read and write timeouts added.
        this.client = budget == null
                ? client
                : client.newBuilder()
                        .addInterceptor(GroupBuyNotifyService::bodyTimeouts)
                        .build();
        this.secretOf = secretOf;
        this.clock = clock;
        this.budget = budget;
    }

    @Override
    public DeliveryResult groupBuyNotify(NotifyTaskVO task) {
        long start = System.nanoTime();
        // The request is built inside the try: OkHttp refuses some URLs the lock once took (an IPv6 zone, invalid
        // punycode) with an IllegalArgumentException, and built outside it that left the gateway. The compensation
        // lane holding such a task threw before it sent or recorded anything of its page; the task, never recorded,
        // stayed at the head of the due queue and took the same other tasks down with it at every run.
        try (Response response = call(task).execute()) {
            long latency = (System.nanoTime() - start) / 1_000_000;
            String body = read(response.body());
            boolean delivered = response.isSuccessful() && isAck(body);
            return new DeliveryResult(
                    delivered,
                    response.code(),
                    latency,
                    delivered
                            ? null
                            : "answered HTTP " + response.code() + " body '" + partnerText(abbreviate(body)) + "'");
        } catch (IOException | IllegalArgumentException e) {
            // A socket our own process could not open (out of descriptors or local ports) failed nothing of the
            // partner's: not an attempt, no try used, and the breaker does not count it against the endpoint.
            String ours = OwnSocketFaults.of(e);
            if (ours != null) {
                return OwnSocketFaults.notSent(clock.instant(), ours);
            }
            long latency = (System.nanoTime() - start) / 1_000_000;
            return new DeliveryResult(
                    false, null, latency, e.getClass().getSimpleName() + ": " + partnerText(e.getMessage()));
        }
    }

    /** The call of the task, bounded by its body's budget; IllegalArgumentException when OkHttp refuses its URL. */
    private Call call(NotifyTaskVO task) {
        byte[] body = task.getBody().getBytes(StandardCharsets.UTF_8);
        if (budget == null) {
            return client.newCall(request(task, body, null));
        }
        Duration extra = budget.extraFor(body.length);
        if (budget.capped(body.length)) {
            log.warn(
                    "notify task={} team={} body of {} bytes needs {} ms at gbm.notify.min-send-rate ({} B/s) but is"
                            + " given {} ms so its send ends within gbm.notify.lease: a partner link slower than"
                            + " {} B/s cannot receive it (raise gbm.notify.lease)",
                    task.getId(),
                    task.getTeamId(),
                    body.length,
                    budget.needed(body.length).toMillis(),
                    budget.minBytesPerSecond(),
                    budget.cap().toMillis(),
                    extra.isZero() ? body.length : body.length * 1000L / extra.toMillis());
        }
        Call call = client.newCall(request(task, body, new BodyAllowance(extra.toMillis())));
        call.timeout().timeout(budget.base().plus(extra).toMillis(), TimeUnit.MILLISECONDS);
        return call;
    }

    /** What a body's bytes add to its call's read and write timeouts (a tag of its request). */
    private record BodyAllowance(long millis) {}

    /** Lengthens the read and write timeouts of a request tagged with its body's allowance. */
    private static Response bodyTimeouts(Interceptor.Chain chain) throws IOException {
        BodyAllowance extra = chain.request().tag(BodyAllowance.class);
        if (extra == null || extra.millis() <= 0) {
            return chain.proceed(chain.request());
        }
        // At most the lease (an hour) in all: an int of milliseconds.
        int millis = (int) extra.millis();
        return chain.withReadTimeout(chain.readTimeoutMillis() + millis, TimeUnit.MILLISECONDS)
                .withWriteTimeout(chain.writeTimeoutMillis() + millis, TimeUnit.MILLISECONDS)
                .proceed(chain.request());
    }

    /** The signed POST of the task's body; IllegalArgumentException when OkHttp refuses its URL. */
    private Request request(NotifyTaskVO task, byte[] body, BodyAllowance allowance) {
        long timestamp = clock.instant().getEpochSecond();
        HttpUrl url = NotifyUrls.parse(task.getNotifyUrl());
        Request.Builder request = new Request.Builder();
        // Parsed once per URL text (#19); a text that is no URL still fails here, as the attempt it is.
        if (url != null) {
            request.url(url);
        } else {
            request.url(String.valueOf(task.getNotifyUrl()));
        }
        request.header("webhook-id", task.getWebhookId())
                .header("webhook-timestamp", Long.toString(timestamp))
                .header("User-Agent", USER_AGENT)
                .post(RequestBody.create(body, JSON));
        if (allowance != null) {
            request.tag(BodyAllowance.class, allowance);
        }
        String secret = secretOf.apply(task.getSource(), task.getChannel());
        if (secret != null) {
            request.header(
                    "webhook-signature", WebhookSignature.sign(secret, task.getWebhookId(), timestamp, task.getBody()));
        }
        return request.build();
    }

    /**
     * The acknowledgement is the whole body {@code success} with only whitespace (space, tab, CR, LF) around it, and
     * within {@link #MAX_BODY_READ} bytes. The body is read one byte past that bound so a longer one is seen as
     * longer: only its first KiB used to be judged (so {@code success}, a KiB of spaces and then an error page counted
     * as delivered), and {@code String.trim()} also dropped control characters (NUL, BEL, ESC) around it.
     */
    static boolean isAck(String body) {
        int start = 0;
        int end = body.length();
        while (start < end && isWhitespace(body.charAt(start))) {
            start++;
        }
        while (end > start && isWhitespace(body.charAt(end - 1))) {
            end--;
        }
        // An ack-shaped body is ASCII, so its length in chars is its length in bytes.
        return body.length() <= MAX_BODY_READ && Constants.NOTIFY_ACK.equals(body.substring(start, end));
    }

    private static boolean isWhitespace(char c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n';
    }

    private static String read(ResponseBody body) throws IOException {
        return body == null ? "" : body.source().readUtf8(Math.min(MAX_BODY_READ + 1, Math.max(0, bodyLength(body))));
    }

    private static long bodyLength(ResponseBody body) throws IOException {
        long length = body.contentLength();
        if (length >= 0) {
            return length;
        }
        body.source().request(MAX_BODY_READ + 1);
        return body.source().getBuffer().size();
    }

    /** Characters of a partner's text kept in an attempt's error (each at most six once escaped). */
    static final int MAX_PARTNER_TEXT = 200;

    /**
     * Text the partner's server chose (its answer's body, or a status line or header quoted by OkHttp's error) as it
     * goes into the attempt's error: the endpoint is the caller's {@code notifyUrl}, so the text is anyone's. Cut to
     * {@link #MAX_PARTNER_TEXT} characters before it is escaped: OkHttp quotes a malformed status line whole, up to its
     * 256 KiB header limit, and that text (six times as long escaped) was held with every outcome of a page until it
     * was recorded and logged whole at every attempt (the store keeps 500 characters of it).
     */
    static String partnerText(String text) {
        return LogSafeText.of(
                text == null || text.length() <= MAX_PARTNER_TEXT ? text : text.substring(0, MAX_PARTNER_TEXT) + "...");
    }

    private static String abbreviate(String body) {
        return body.length() <= 60 ? body : body.substring(0, 60) + "...";
    }
}
