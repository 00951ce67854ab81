package com.groupbuy.market.trade;

import com.groupbuy.market.domain.outbox.model.valobj.NotifyLease;
import com.groupbuy.market.domain.trade.model.aggregate.LockOrderAggregate;
import com.groupbuy.market.domain.trade.model.entity.LockOrderCommand;
import com.groupbuy.market.domain.trade.model.valobj.CloseCheckVO;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Locks as the lock service hands them to the trade repository, for tests that write them with the batch writer
 * directly (#19): a user, team and order id of their own each, activity 19900 (no activity row needed there), teams of
 * 3, and 0, 1 (the unpaid order's) or 2 (also the team's) close checks, each due in 10 minutes.
 */
final class LockAggregates {

    private static final AtomicLong IDS = new AtomicLong(10_000_000L);

    private LockAggregates() {}

    /** The biz id the lock writes for a partner's user's n-th take in an activity (the code's own format). */
    static String bizId(long activityId, String source, String channel, String userId, int takeSequence) {
        return LockOrderAggregate.builder()
                .command(LockOrderCommand.builder()
                        .activityId(activityId)
                        .source(source)
                        .channel(channel)
                        .userId(userId)
                        .build())
                .takeSequence(takeSequence)
                .build()
                .bizId();
    }

    /** A number no other lock or task of these tests has. */
    static long next() {
        return IDS.incrementAndGet();
    }

    static LockOrderAggregate lock(boolean newTeam, String joinedTeamId, int checkCount) {
        return lock(newTeam, joinedTeamId, checkCount, null);
    }

    /** {@code lease}: the close-check relay's lease the checks are written under; null, unleased. */
    static LockOrderAggregate lock(boolean newTeam, String joinedTeamId, int checkCount, NotifyLease lease) {
        return lock(newTeam, joinedTeamId, checkCount, lease, null);
    }

    /** A new team's lock, without close checks, under the order id another lock has (uq_order_id refuses one). */
    static LockOrderAggregate sameOrderIdAs(LockOrderAggregate other) {
        return lock(true, null, 0, null, other.getOrderId());
    }

    private static LockOrderAggregate lock(
            boolean newTeam, String joinedTeamId, int checkCount, NotifyLease lease, String givenOrderId) {
        long n = next();
        String teamId = newTeam ? String.valueOf(n % 100_000_000L) : joinedTeamId;
        String orderId = givenOrderId != null ? givenOrderId : String.format("%012d", n);
        String user = "batch-user-" + n;
        Instant now = Instant.now();
        return LockOrderAggregate.builder()
                .command(LockOrderCommand.builder()
                        .userId(user)
                        .activityId(19900L)
                        .goodsId("g19900")
                        .source("s01")
                        .channel("c01")
                        .outTradeNo("out-" + user)
                        .notifyType("HTTP")
                        .notifyUrl("http://127.0.0.1:1/cb")
                        .build())
                .newTeam(newTeam)
                .teamId(teamId)
                .orderId(orderId)
                .targetCount(3)
                .originalPrice(new BigDecimal("100.00"))
                .deductionPrice(new BigDecimal("20.00"))
                .payPrice(new BigDecimal("80.00"))
                .activityStartTime(now.minus(1, ChronoUnit.DAYS))
                .activityEndTime(now.plus(1, ChronoUnit.DAYS))
                .validStartTime(now)
                .validEndTime(now.plus(15, ChronoUnit.MINUTES))
                .takeSequence(1)
                .closeChecks(checks(teamId, orderId, checkCount))
                .closeCheckLease(checkCount == 0 ? null : lease)
                .build();
    }

    /** The task keys of the lock's checks, in the order the lock lists them. */
    static List<String> checkKeys(String teamId, String orderId, int count) {
        return checks(teamId, orderId, count).stream()
                .map(CloseCheckVO::taskKey)
                .toList();
    }

    /** 1: the unpaid order's check; 2: the team's and the order's. */
    private static List<CloseCheckVO> checks(String teamId, String orderId, int count) {
        Instant at = Instant.now().plus(10, ChronoUnit.MINUTES);
        List<CloseCheckVO> checks = new ArrayList<>();
        if (count >= 2) {
            checks.add(CloseCheckVO.teamExpiry(teamId, at, Duration.ofMinutes(10)));
        }
        if (count >= 1) {
            checks.add(CloseCheckVO.unpaidOrder(teamId, orderId, at, Duration.ofMinutes(10)));
        }
        return checks;
    }
}
