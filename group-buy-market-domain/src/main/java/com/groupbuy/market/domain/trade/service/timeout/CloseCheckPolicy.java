package com.groupbuy.market.domain.trade.service.timeout;

import com.groupbuy.market.domain.trade.model.valobj.CloseCheckVO;
import com.groupbuy.market.domain.trade.model.valobj.PaymentGrace;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * When a lock's place must be free again, and which delayed close checks a lock therefore writes (#15). An unpaid lock
 * closes at its lock time + the unpaid timeout + its partner's payment grace (no timeout set: it lives as long as its
 * team); a team fails at its validity end + the expiry grace. The polling job applies the same times (plus its
 * backstop margin while the delay path is on), so both paths agree on when, and neither closes early.
 */
public final class CloseCheckPolicy {

    /** The longest unpaid timeout or expiry grace: a year, far beyond any team's life. */
    static final Duration LONGEST = Duration.ofDays(365);

    /** Whether locks write close checks: the MQ channel and the close-check consumer are on. */
    private final boolean delayPathEnabled;
    /** Null: an unpaid lock lives as long as its team. */
    private final Duration unpaidTimeout;

    private final Duration expiryGrace;
    private final PaymentGrace paymentGrace;

    public CloseCheckPolicy(
            boolean delayPathEnabled, Duration unpaidTimeout, Duration expiryGrace, PaymentGrace paymentGrace) {
        // Zero or less closed every buyer's lock as soon as its close check ran; a negative grace failed open teams
        // before their validity ended. Refused at start rather than closing what buyers are paying for.
        if (unpaidTimeout != null && (unpaidTimeout.isZero() || unpaidTimeout.isNegative())) {
            throw new IllegalArgumentException("gbm.timeout.unpaid-timeout must be positive (a bare number is "
                    + "minutes) or unset, got " + unpaidTimeout);
        }
        if (expiryGrace == null || expiryGrace.isNegative()) {
            throw new IllegalArgumentException("gbm.timeout.expiry-grace must be zero or positive, got " + expiryGrace);
        }
        // A timeout of ten thousand years ("never") put the timeout job's bound before the year 1, whose database
        // text names a year of an era (7968): every unpaid lock would have been found "older". Unset is "never".
        if (unpaidTimeout != null && unpaidTimeout.compareTo(LONGEST) > 0) {
            throw new IllegalArgumentException("gbm.timeout.unpaid-timeout must be at most " + LONGEST.toDays()
                    + " days (unset: an unpaid lock lives as long as its team), got " + unpaidTimeout);
        }
        if (expiryGrace.compareTo(LONGEST) > 0) {
            throw new IllegalArgumentException(
                    "gbm.timeout.expiry-grace must be at most " + LONGEST.toDays() + " days, got " + expiryGrace);
        }
        this.delayPathEnabled = delayPathEnabled;
        this.unpaidTimeout = unpaidTimeout;
        this.expiryGrace = expiryGrace;
        this.paymentGrace = paymentGrace;
    }

    public boolean delayPathEnabled() {
        return delayPathEnabled;
    }

    public Duration unpaidTimeout() {
        return unpaidTimeout;
    }

    public Duration expiryGrace() {
        return expiryGrace;
    }

    public PaymentGrace paymentGrace() {
        return paymentGrace;
    }

    /** When this partner's unpaid lock taken at {@code lockTime} is closed; null when only its team's end closes it. */
    public Instant unpaidCloseAt(Instant lockTime, String source, String channel) {
        return unpaidTimeout == null ? null : lockTime.plus(unpaidTimeout).plus(paymentGrace.of(source, channel));
    }

    /** When a team whose validity ends at {@code validEnd} is failed if still open. */
    public Instant teamCloseAt(Instant validEnd) {
        return validEnd.plus(expiryGrace);
    }

    /**
     * The checks a lock writes: its team's (when it opens the team) and its own unpaid one (when a timeout is set and
     * it would come before the team's end, which closes every unpaid member anyway). None while the delay path is off.
     */
    public List<CloseCheckVO> checksForLock(
            String teamId,
            String orderId,
            boolean newTeam,
            Instant lockTime,
            Instant teamValidEnd,
            String source,
            String channel) {
        List<CloseCheckVO> checks = new ArrayList<>(2);
        if (!delayPathEnabled) {
            return checks;
        }
        Instant teamCloseAt = teamCloseAt(teamValidEnd);
        if (newTeam) {
            checks.add(CloseCheckVO.teamExpiry(teamId, teamCloseAt, Duration.between(lockTime, teamCloseAt)));
        }
        Instant unpaidCloseAt = unpaidCloseAt(lockTime, source, channel);
        if (unpaidCloseAt != null && unpaidCloseAt.isBefore(teamCloseAt)) {
            checks.add(CloseCheckVO.unpaidOrder(
                    teamId, orderId, unpaidCloseAt, Duration.between(lockTime, unpaidCloseAt)));
        }
        return checks;
    }
}
