package com.groupbuy.market.domain.trade.service.timeout;

import static com.groupbuy.market.domain.trade.service.refund.ConsumptionAttempts.MAX_BODY;
import static com.groupbuy.market.domain.trade.service.refund.ConsumptionAttempts.MAX_REASON;
import static com.groupbuy.market.domain.trade.service.refund.ConsumptionAttempts.MAX_ROUTING_KEY;
import static com.groupbuy.market.domain.trade.service.refund.ConsumptionAttempts.cut;

import com.groupbuy.market.domain.outbox.adapter.port.INotifyGateway;
import com.groupbuy.market.domain.outbox.model.valobj.DeliveryResult;
import com.groupbuy.market.domain.outbox.model.valobj.NotifyTarget;
import com.groupbuy.market.domain.outbox.model.valobj.NotifyTaskVO;
import com.groupbuy.market.domain.trade.adapter.repository.IConsumptionRecordRepository;
import com.groupbuy.market.domain.trade.adapter.repository.IRefundRepository;
import com.groupbuy.market.domain.trade.model.entity.MemberOrderView;
import com.groupbuy.market.domain.trade.model.valobj.CloseCheckVO;
import com.groupbuy.market.domain.trade.model.valobj.ConsumeOutcome;
import com.groupbuy.market.domain.trade.model.valobj.DelayLeg;
import com.groupbuy.market.domain.trade.model.valobj.OrderStatus;
import com.groupbuy.market.domain.trade.service.refund.ConsumptionAttempts;
import com.groupbuy.market.domain.trade.service.refund.TradeRefundService;
import com.groupbuy.market.types.text.LogSafeText;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import lombok.extern.slf4j.Slf4j;

/**
 * Our consumer of delayed close checks (#15, seed 004): when a lock's unpaid deadline (or a team's validity end) has
 * come, re-reads the order and closes it only if it is still unpaid, through the same guarded update as an unpaid
 * refund ({@link TradeRefundService#closeUnpaid}); a settlement racing the close either wins (the close affects no
 * row) or loses (the settlement finds the order closed), never both. A team check fails the team as the polling job
 * would ({@link TradeTimeoutService#expireTeamNow}). Both are judged by the database and the settings of now, whatever
 * the check's own deadline: a check whose order or team is due later is published again toward that time ({@link
 * #publishAgain}, in hops through a fixed set of lanes), never closed early and never left to the polling job.
 * <p>
 * Once per message however often the broker redelivers it: the consumption record (consumer {@value #CONSUMER}, one
 * per message id) bounds the attempts and keeps the outcome; and the close itself is guarded and writes its partner
 * callback under a unique task key, so even two deliveries racing past the record close once and tell the partner
 * once.
 */
@Slf4j
public class CloseCheckService {

    /**
     * The suffix {@link #againId} gives an id: {@code @<due ms>}, {@code ~<hop>}, and a count when it was cut short
     * (at most 9 digits: a longer one, which no chain of ours reaches, is part of the id).
     */
    private static final Pattern AGAIN_SUFFIX = Pattern.compile("(@\\d+(?:~\\d+(?:x\\d+)?)?)(?:\\.(\\d{1,9}))?$");

    public static final String CONSUMER = "close_check";

    private final IConsumptionRecordRepository records;
    private final IRefundRepository orders;
    private final TradeRefundService refunds;
    private final TradeTimeoutService timeouts;
    /**
     * The unpaid timeout and payment graces as configured now: an unpaid check's own deadline was fixed when its lock
     * was written, under the settings of that time, which a restart may have changed since (see {@link #apply}).
     */
    private final CloseCheckPolicy policy;

    private final Clock clock;
    private final int maxAttempts;
    /** How long a check that arrives before its time (a broker clock ahead of ours) waits for it, at most. */
    private final Duration earlyWait;
    /**
     * The close-check publisher (the outbox's {@code DELAY} gateway, as locks' checks go out): a check due by its own
     * deadline but not yet under the settings of now goes back into a delay lane for its new due time ({@link
     * #publishAgain}).
     */
    private final INotifyGateway lanes;

    public CloseCheckService(
            IConsumptionRecordRepository records,
            IRefundRepository orders,
            TradeRefundService refunds,
            TradeTimeoutService timeouts,
            CloseCheckPolicy policy,
            Clock clock,
            int maxAttempts,
            Duration earlyWait,
            INotifyGateway lanes) {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
        this.records = records;
        this.orders = orders;
        this.refunds = refunds;
        this.timeouts = timeouts;
        this.policy = policy;
        this.clock = clock;
        this.maxAttempts = maxAttempts;
        this.earlyWait = earlyWait;
        this.lanes = lanes;
    }

    /**
     * Handles one delivery. {@code check} is null and {@code malformed} says why when the body could not be read:
     * such a message goes to the dead letters at once (no attempt could ever succeed).
     */
    public ConsumeOutcome consume(
            String messageId, String routingKey, String body, CloseCheckVO check, String malformed) {
        String unrecordable = ConsumptionAttempts.unrecordable(messageId);
        if (unrecordable != null) {
            return ConsumeOutcome.dead(unrecordable, 0, -1);
        }
        // An order already paid or closed (a settlement came first, a redelivery, the backstop) needs nothing: no
        // record is written for it, the message is simply acknowledged. A closed one's place is given back here too,
        // once per order: a close whose commit answer was lost and could not be read back threw and gave nothing
        // back, and this redelivery is the first step to see it committed (before, Redis stayed a place high until the
        // refund event or the reconciler, and refused the team's last joiner E0008).
        MemberOrderView order = null;
        if (check != null && check.kind() == CloseCheckVO.Kind.UNPAID_ORDER) {
            order = orders.queryOrderById(check.orderId());
            if (order != null
                    && order.getTeamId().equals(check.teamId())
                    && order.getOrderStatus() != OrderStatus.LOCKED) {
                boolean givenBack = refunds.givePlaceBackOfClosed(order);
                log.info(
                        "close check message={} kind={} team={} order={} effect={} placeGivenBack={} (no record)",
                        LogSafeText.of(messageId),
                        check.kind().check(),
                        LogSafeText.of(check.teamId()),
                        LogSafeText.of(check.orderId()),
                        settled(order),
                        givenBack);
                return ConsumeOutcome.duplicate(settled(order));
            }
        }
        // The first delivery writes its record with the attempt already counted (one statement, not two); a
        // redelivery reads the record and counts its attempt under the version it read.
        int attempt = 1;
        int version = 1;
        if (!records.openStarted(CONSUMER, messageId, cut(routingKey, MAX_ROUTING_KEY), cut(body, MAX_BODY))) {
            ConsumptionAttempts.Start start = ConsumptionAttempts.start(
                    records, CONSUMER, messageId, routingKey, cut(body, MAX_BODY), maxAttempts);
            if (!start.started()) {
                return start.instead();
            }
            attempt = start.attempt();
            version = start.version();
        }
        if (check == null) {
            return ConsumeOutcome.dead(cut("malformed: " + malformed, MAX_REASON), attempt, version);
        }
        try {
            // A close marks the record done in its own transaction (one commit for both); any other effect after it.
            int recordVersion = version;
            AtomicReference<Boolean> marked = new AtomicReference<>();
            String effect = apply(
                    messageId, check, order, () -> marked.set(records.markSuccess(CONSUMER, messageId, recordVersion)));
            if (effect == null) {
                return ConsumeOutcome.dead(
                        cut(
                                "no order " + LogSafeText.of(check.orderId()) + " in team "
                                        + LogSafeText.of(check.teamId()),
                                MAX_REASON),
                        attempt,
                        version);
            }
            if (marked.get() == null) {
                marked.set(records.markSuccess(CONSUMER, messageId, version));
            }
            if (!marked.get()) {
                log.warn(
                        "close check message={} team={} order={}: record changed during the attempt (the close is "
                                + "guarded regardless)",
                        LogSafeText.of(messageId),
                        LogSafeText.of(check.teamId()),
                        LogSafeText.of(check.orderId()));
            }
            log.info(
                    "close check message={} kind={} team={} order={} attempt={} effect={} lateMs={}",
                    LogSafeText.of(messageId),
                    check.kind().check(),
                    LogSafeText.of(check.teamId()),
                    LogSafeText.of(check.orderId()),
                    attempt,
                    effect,
                    lateMs(check.closeAt()));
            return ConsumeOutcome.done(attempt);
        } catch (RuntimeException e) {
            ConsumeOutcome outcome =
                    ConsumptionAttempts.failed(records, CONSUMER, messageId, attempt, version, maxAttempts, e);
            if (outcome.action() == ConsumeOutcome.Action.DEAD) {
                return outcome;
            }
            log.warn(
                    "close check message={} team={} order={} attempt={} of {} failed: {}",
                    LogSafeText.of(messageId),
                    LogSafeText.of(check.teamId()),
                    LogSafeText.of(check.orderId()),
                    attempt,
                    maxAttempts,
                    outcome.reason());
            return outcome;
        }
    }

    /** The listener could not copy the message to the dead-letter queue: it comes back, and its record keeps why. */
    public void deadLetterNotCopied(String messageId, ConsumeOutcome outcome) {
        ConsumptionAttempts.notCopied(records, CONSUMER, messageId, outcome);
    }

    /** The listener moved the message to the dead-letter queue: the record says so, with the reason. */
    public void deadLettered(String messageId, ConsumeOutcome outcome) {
        ConsumptionAttempts.deadLettered(records, CONSUMER, messageId, outcome);
        log.warn(
                "close check message={} dead-lettered after {} attempt(s): {}",
                LogSafeText.of(messageId),
                outcome.attempts(),
                outcome.reason());
    }

    /**
     * What the check did; null when its order does not exist (a poison message). {@code read} is the order as read
     * before the record was opened (the close is guarded by that state, so a change since only makes it a no-op); it
     * is read again after an early check's wait. {@code markDone} runs in the close's transaction when it closes.
     */
    private String apply(String messageId, CloseCheckVO check, MemberOrderView read, Runnable markDone) {
        // A check before its own deadline (a hop of a check due further off than a lane carries, a broker clock ahead
        // of ours, a forged one) is judged like any other, by the database and the settings of now: never closed
        // early, and published again toward its due time. Before, one earlier than the early wait was acknowledged
        // and left to the polling job, so a check that had to hop was never closed by the delay path.
        if (check.kind() == CloseCheckVO.Kind.TEAM_EXPIRY) {
            return applyTeam(messageId, check);
        }
        MemberOrderView order = read == null ? orders.queryOrderById(check.orderId()) : read;
        if (order == null || !order.getTeamId().equals(check.teamId())) {
            return null;
        }
        if (order.getOrderStatus() != OrderStatus.LOCKED) {
            refunds.givePlaceBackOfClosed(order);
            return settled(order);
        }
        // The deadline is the database's: the order's lock time + the unpaid timeout and its partner's payment grace as
        // configured now (as the polling job closes). The check's own deadline and length only said when to look:
        // anyone
        // who can publish to the close-check queue wrote them, and a check naming a past deadline (or a length reaching
        // back before the lock) closed a buyer's lock the moment it arrived, minutes before its timeout
        // (CloseCheckIT#aForgedCheck…). Reading the database also keeps a lock whose deadline a restart moved since its
        // check was written (a longer timeout, a payment grace, no timeout at all) open until its deadline of now.
        Instant dueNow = order.getLockTime() == null
                ? null
                : policy.unpaidCloseAt(order.getLockTime(), order.memberSource(), order.memberChannel());
        if (dueNow == null) {
            return order.getLockTime() == null
                    ? "lock time not read; left to the polling job"
                    : "no unpaid timeout now; the lock lives as long as its team";
        }
        if (!waitUntilDue(dueNow)) {
            // Not the polling job's: left to it, the lock closed a backstop margin late and was counted "found late"
            // although no check was lost.
            return "not due until " + dueNow + " under the current unpaid timeout and grace; "
                    + publishAgain(messageId, check, dueNow);
        }
        // Guarded by the state just read: a settlement committing meanwhile makes this affect no row.
        return refunds.closeUnpaid(order, markDone) ? "closed unpaid" : "paid or closed meanwhile; nothing to do";
    }

    /**
     * A team check due by its own deadline: fails the team when it is due under the expiry grace of now too. A team
     * still open whose end + grace of now is later (a restart lengthened the grace since the check was written) is
     * waited for within the early wait, else its check goes back into a delay lane for that time: before, it was
     * acknowledged as "team no longer open" and left to the polling job, which failed it a backstop margin late and
     * counted it "found late" although no check was lost.
     */
    private String applyTeam(String messageId, CloseCheckVO check) {
        TradeTimeoutService.TeamCheck team = timeouts.checkTeamNow(check.teamId());
        if (team.dueAt() != null && waitUntilDue(team.dueAt())) {
            team = timeouts.checkTeamNow(check.teamId());
        }
        if (team.failed()) {
            return "team failed";
        }
        if (team.closed()) {
            return "team no longer open; nothing to do";
        }
        return "team open, not due until " + team.dueAt() + " under the current expiry grace; "
                + publishAgain(messageId, check, team.dueAt());
    }

    /**
     * Publishes the check again toward {@code dueAt} (a time the database and the settings of now gave, never the
     * check's own), through the same publisher as the lock's checks; the effect for the log. It waits in the hop lanes
     * ({@link DelayLeg#hop}): a fixed set of lengths, so whatever the checks we are sent say, we declare at most
     * {@value DelayLeg#HOP_LANES} lanes for them (before, one per whole second a check had left: a forged check per
     * second, a lane each). A hop shorter than the time left brings the check back early, and it hops again.
     * <p>
     * The new message's id is the check's with {@code @<due epoch ms>}, and {@code ~<hop seconds>} for a hop that does
     * not reach the due time (see {@link #againId}), in place of an earlier such suffix: a redelivery of this check
     * publishes the same message again, and the consumption record of that id runs it once. Not published (the broker
     * refused it, no confirm): thrown, a failed attempt of this check, which comes back and tries again; out of
     * attempts it is dead-lettered and the polling job closes it, found late.
     */
    private String publishAgain(String messageId, CloseCheckVO check, Instant dueAt) {
        Instant now = Instant.now(clock);
        Duration left = Duration.between(now, dueAt);
        DelayLeg leg = DelayLeg.hop(left);
        boolean reaches = leg.reaches(left);
        // A check's deadline is whole milliseconds: rounded up, never early.
        Instant exact = reaches ? dueAt : now.plus(leg.expiresIn());
        Instant closeAt = exact.truncatedTo(ChronoUnit.MILLIS);
        if (closeAt.isBefore(exact)) {
            closeAt = closeAt.plusMillis(1);
        }
        // Its length is the hop lane's, which the publisher reads as the lane to wait in.
        CloseCheckVO again = new CloseCheckVO(check.kind(), check.teamId(), check.orderId(), closeAt, leg.lane());
        String againId = againId(messageId, dueAt, reaches ? null : hopOf(leg, left));
        DeliveryResult result = lanes.groupBuyNotify(NotifyTaskVO.builder()
                .webhookId(againId)
                .teamId(check.teamId())
                .notifyCategory(check.kind().category())
                .notifyType(NotifyTarget.DELAY)
                .body(again.toJson())
                .build());
        if (!result.delivered()) {
            throw new IllegalStateException(
                    "check not published again for " + closeAt + " (" + againId + "): " + result.error());
        }
        // The id is the publisher's (anyone who can publish to the close-check queue): made safe for the log line.
        return reaches
                ? "published again as " + LogSafeText.of(againId) + " to close then"
                : "published again as " + LogSafeText.of(againId) + " for " + closeAt + ", a hop of "
                        + leg.lane().getSeconds() + " s toward it";
    }

    /**
     * A hop's name within its check's chain: its lane's seconds, and for the longest hop lane (taken again and again
     * toward a due time more than twice its length away) how many of its length are left.
     */
    private static String hopOf(DelayLeg leg, Duration left) {
        long seconds = leg.lane().getSeconds();
        return seconds == DelayLeg.LONGEST_HOP.getSeconds()
                ? seconds + "x" + left.dividedBy(DelayLeg.LONGEST_HOP)
                : Long.toString(seconds);
    }

    /**
     * {@code <id>@<due epoch ms>}, or {@code <id>@<due epoch ms>~<hop>} for a hop short of it: the check's id without
     * an earlier such suffix, cut to fit a record's id. A message that would be published again under its own id —
     * it left its lane before its hop's end, cut short by a {@code message-ttl} or {@code max-length} policy on the
     * lanes — takes a count after it ({@code .1}, {@code .2}, …): before, the copy had the id of the message being
     * consumed, whose record, done, made the copy a duplicate, and the check was lost to the polling job
     * (MqQueuePolicyIT).
     */
    static String againId(String messageId, Instant dueAt, String hop) {
        Matcher own = AGAIN_SUFFIX.matcher(messageId);
        boolean suffixed = own.find();
        String base = suffixed ? messageId.substring(0, own.start()) : messageId;
        String suffix = "@" + dueAt.toEpochMilli() + (hop == null ? "" : "~" + hop);
        if (suffixed && own.group(1).equals(suffix)) {
            suffix += "." + (own.group(2) == null ? 1 : Integer.parseInt(own.group(2)) + 1);
        }
        int room = ConsumptionAttempts.MAX_MESSAGE_ID - suffix.length();
        if (base.codePointCount(0, base.length()) > room) {
            base = base.substring(0, base.offsetByCodePoints(0, room));
        }
        return base + suffix;
    }

    /**
     * How late the check ran, for its log line; saturated, never thrown: the line comes after the check's effect (a
     * close already committed), and a throw there counted a failed attempt for it. The listener refuses a deadline
     * outside {@link CloseCheckVO#EARLIEST_CLOSE_AT_MS}..{@link CloseCheckVO#LATEST_CLOSE_AT_MS} before this.
     */
    private long lateMs(Instant closeAt) {
        Instant now = Instant.now(clock);
        try {
            return Duration.between(closeAt, now).toMillis();
        } catch (ArithmeticException e) {
            return closeAt.isBefore(now) ? Long.MAX_VALUE : Long.MIN_VALUE;
        }
    }

    private static String settled(MemberOrderView order) {
        return order.getOrderStatus() == OrderStatus.PAID ? "paid; kept" : "already closed; nothing to do";
    }

    private boolean waitUntilDue(Instant closeAt) {
        Duration early = Duration.between(Instant.now(clock), closeAt);
        if (early.isNegative() || early.isZero()) {
            return true;
        }
        if (early.compareTo(earlyWait) > 0) {
            return false;
        }
        try {
            Thread.sleep(early.toMillis() + 1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        return true;
    }
}
