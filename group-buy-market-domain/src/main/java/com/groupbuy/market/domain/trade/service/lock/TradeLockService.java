package com.groupbuy.market.domain.trade.service.lock;

import com.groupbuy.market.domain.activity.model.entity.MarketProductEntity;
import com.groupbuy.market.domain.activity.model.entity.TrialBalanceEntity;
import com.groupbuy.market.domain.activity.service.IIndexGroupBuyMarketService;
import com.groupbuy.market.domain.outbox.adapter.port.INotifyDispatcher;
import com.groupbuy.market.domain.trade.adapter.port.ITeamPlaceReservation;
import com.groupbuy.market.domain.trade.adapter.repository.DuplicateOrderException;
import com.groupbuy.market.domain.trade.adapter.repository.ITradeRepository;
import com.groupbuy.market.domain.trade.model.aggregate.LockOrderAggregate;
import com.groupbuy.market.domain.trade.model.entity.LockOrderCommand;
import com.groupbuy.market.domain.trade.model.entity.MarketPayOrderEntity;
import com.groupbuy.market.domain.trade.model.valobj.CloseCheckVO;
import com.groupbuy.market.domain.trade.model.valobj.LockLookupVO;
import com.groupbuy.market.domain.trade.model.valobj.OrderStatus;
import com.groupbuy.market.domain.trade.model.valobj.SourceChannelPolicy;
import com.groupbuy.market.domain.trade.service.guard.TradeRateGuard;
import com.groupbuy.market.domain.trade.service.lock.filter.AudienceFilter;
import com.groupbuy.market.domain.trade.service.lock.filter.TakeLimitFilter;
import com.groupbuy.market.domain.trade.service.lock.filter.TeamUsableFilter;
import com.groupbuy.market.domain.trade.service.place.TeamPlaceReconciler;
import com.groupbuy.market.domain.trade.service.timeout.CloseCheckPolicy;
import com.groupbuy.market.types.design.chain.RuleChain;
import com.groupbuy.market.types.enums.ResponseCode;
import com.groupbuy.market.types.exception.AppException;
import com.groupbuy.market.types.exception.CommitOutcomeUnknownException;
import com.groupbuy.market.types.exception.DependencyUnavailableException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import lombok.extern.slf4j.Slf4j;
import org.springframework.stereotype.Service;

/**
 * Lock: a buyer takes one place in a team, within the partner's and the user's rates ({@link TradeRateGuard}, asked
 * first). Same partner + same user + same out trade number answers the same order (no second place; another partner's
 * lock under the same user and number is an order of its own), whatever the checks only a new order must pass would
 * say now (the partner's admission, {@link NotifyTargetCheck}) and whether Redis answers now; otherwise those checks
 * run (a partner the settlement black/allowlist refuses gets {@code E0105}, as its settlements do), the trial
 * prices it and checks the activity (through the partner's own goods → activity mapping), the filters check
 * audience, take limit and team, Redis reserves a joiner's place atomically (an opening's counter is made once its team
 * row committed), and one transaction writes team and order. A place reserved for a lock that does not commit is given
 * back. The same transaction writes the lock's delayed close
 * checks (#15) to the outbox; they are handed to delivery after commit, and a broker that is down never fails a lock.
 */
@Slf4j
@Service
public class TradeLockService {

    private final IIndexGroupBuyMarketService trialService;
    private final ITradeRepository repository;
    private final ITeamPlaceReservation reservation;
    private final TradeIds ids;
    private final RuleChain<LockOrderCommand, LockContext> rules;
    private final CloseCheckPolicy closeChecks;
    private final INotifyDispatcher dispatcher;
    private final TeamPlaceReconciler placeReconciler;
    private final NotifyTargetCheck notifyTargets;
    private final TradeRateGuard rateGuard;
    private final SourceChannelPolicy partners;

    /** Draws of fresh ids before giving up; with 10^8 team ids even a crowded table needs a second draw rarely. */
    private static final int ID_DRAWS = 5;

    public TradeLockService(
            IIndexGroupBuyMarketService trialService,
            ITradeRepository repository,
            ITeamPlaceReservation reservation,
            TradeIds ids,
            CloseCheckPolicy closeChecks,
            INotifyDispatcher dispatcher,
            TeamPlaceReconciler placeReconciler,
            NotifyTargetCheck notifyTargets,
            TradeRateGuard rateGuard,
            SourceChannelPolicy partners) {
        this.rateGuard = rateGuard;
        this.partners = partners;
        this.placeReconciler = placeReconciler;
        this.notifyTargets = notifyTargets;
        this.closeChecks = closeChecks;
        this.dispatcher = dispatcher;
        this.trialService = trialService;
        this.repository = repository;
        this.reservation = reservation;
        this.ids = ids;
        this.rules = RuleChain.of(new AudienceFilter(), new TakeLimitFilter(), new TeamUsableFilter());
    }

    public MarketPayOrderEntity lock(LockOrderCommand command) {
        try {
            // #17: within the partner's and the user's rate, else 0006 with nothing read or written. First: the
            // new-order checks below include the notifyUrl host's addresses, network work done only for a caller
            // within its rate.
            rateGuard.admit("lock", command.getSource(), command.getChannel(), command.getUserId());
        } catch (DependencyUnavailableException uncounted) {
            // The rates cannot be counted (Redis unavailable): a new order is refused (E0401, fail closed: nothing
            // reserved or written past an uncounted rate), but the retry of a lock we committed needs the database
            // alone and is answered its order, as every repeat is; answered E0401, the mall would take its committed
            // lock for failed and cancel its buyer's payment or open another order. Costs one read by the order's
            // unique key while Redis is out, the read an admitted lock makes first anyway.
            return committedOr(uncounted, command);
        }
        LockLookupVO lookup =
                repository.queryOrderAndLiveTakes(command.orderKey(), command.getActivityId(), command.getTeamId());
        if (lookup.existing() != null) {
            return sameOrderAgain(lookup.existing(), command);
        }
        try {
            // Checks only a new order must pass, asked after the lookup: a retry of a lock we committed is answered
            // its order, as every repeat is, whatever its partner's or its callback target's check says at this
            // moment (refused, the mall would drop an order that holds its buyer's place and take until the unpaid
            // timeout). First the partner: one whose settlements are refused (the settlement black/allowlist, E0105)
            // is refused here too, before it is priced or takes a place. Answered a price, its buyer paid for an order
            // whose payment notice we then refused, and which its mall could not even cancel (refunds answer E0105).
            if (!partners.admits(command.getSource(), command.getChannel())) {
                throw new AppException(ResponseCode.E0105);
            }
            notifyTargets.admit(command);
            return lockNew(command, lookup);
        } catch (AppException e) {
            // A retry racing its own first attempt sees that attempt's effects (its take: limit reached or the same
            // biz id; its place: the team row now full, E0005/E0006/E0008), or is refused its target after that
            // attempt's check let it pass (E0203/E0204): the answer it is owed is the order the first attempt wrote,
            // not a refusal. Only refusals (and Redis outages, below) pay this extra read.
            return committedOr(e, command);
        } catch (DependencyUnavailableException e) {
            // Redis failing after the lookup (the place reservation) for a retry racing its first attempt: that
            // attempt's order, once committed, is answered as above. A database outage is not read into again.
            if (!e.isRedis()) {
                throw e;
            }
            return committedOr(e, command);
        }
    }

    /** The order committed under the command's key, answered as a repeat; {@code refusal} when there is none. */
    private MarketPayOrderEntity committedOr(RuntimeException refusal, LockOrderCommand command) {
        MarketPayOrderEntity committed = repository.queryOrder(command.orderKey());
        if (committed == null) {
            throw refusal;
        }
        return sameOrderAgain(committed, command);
    }

    private MarketPayOrderEntity lockNew(LockOrderCommand command, LockLookupVO lookup) {
        TrialBalanceEntity trial = trialService.indexMarketTrial(MarketProductEntity.builder()
                .userId(command.getUserId())
                .source(command.getSource())
                .channel(command.getChannel())
                .goodsId(command.getGoodsId())
                .activityId(command.getActivityId())
                .build());
        // One instant for the whole lock, the one the trial judged the activity's window at. Read before the trial
        // (whose configuration read may go to the database), it opened a team before its activity's start, which the
        // trial's later reading had admitted; a join's team was judged open at an instant the trial had passed.
        LockContext context = new LockContext(Objects.requireNonNull(trial.getJudgedAt(), "the trial's instant"));
        context.setLiveTakes(lookup.liveTakes());
        context.setNamedTeam(lookup.namedTeam());
        context.setTrial(trial);
        rules.apply(command, context);

        // Team and order ids are drawn at random (8 and 12 digits, the wire's shapes); an id another row already has
        // is drawn again rather than refusing the buyer. The place is held under the order's identity, so racing
        // retries of this same lock share one place instead of crowding other buyers out.
        String holder = ITeamPlaceReservation.holder(command.orderKey());
        for (int draw = 1; draw <= ID_DRAWS; draw++) {
            LockOrderAggregate aggregate = aggregate(command, context);
            // A new team's counter is made once its row committed (ITeamPlaceReservation.countOpened, with the other
            // openings of its batch): its drawn id is told apart by the row's unique key, and no join can read the
            // team before then (#19: one Redis round trip per opening less).
            if (!aggregate.isNewTeam() && !reserveJoin(aggregate, context, holder)) {
                throw new AppException(ResponseCode.E0008);
            }
            MarketPayOrderEntity order =
                    write(aggregate, command, holder, context.getTrial().getTakeLimitCount());
            if (order != null) {
                return order;
            }
        }
        throw new AppException(
                ResponseCode.UNIQUE_KEY_CONFLICT, "no free team or order id after " + ID_DRAWS + " draws, retry");
    }

    /**
     * A place in an existing team. Redis refusing while the team row read a moment ago had places left is either
     * joins in flight or a counter a crash left high; the reconciler looks at the team at once (throttled per team)
     * and, if the counter was wrong, this joiner tries once more instead of waiting for the next sweep.
     */
    private boolean reserveJoin(LockOrderAggregate aggregate, LockContext context, String holder) {
        int lockedInDb = context.getTeam().getLockCount();
        if (reservation.reserve(
                aggregate.getTeamId(), holder, aggregate.getTargetCount(), lockedInDb, aggregate.getValidEndTime())) {
            return true;
        }
        if (lockedInDb >= aggregate.getTargetCount() || !placeReconciler.reconcileRefused(aggregate.getTeamId())) {
            return false;
        }
        return reservation.reserve(
                aggregate.getTeamId(), holder, aggregate.getTargetCount(), lockedInDb, aggregate.getValidEndTime());
    }

    /**
     * Null when a drawn id was taken (the place is given back and the caller draws again). A take found held is tried
     * again with the user's next take (up to the limit, then from 1) before answering {@code E0103}: a refund frees a
     * take in the middle, so the count + 1 the lock started at can be held while a lower take is free. Retrying on the
     * unique key's refusal costs nothing on the normal path (the lookup stays one statement, reading no sequences), a
     * transaction per held take only in this rare case, and the unique biz id still decides every race. The place
     * stays reserved across these writes (the failed one wrote nothing) and is given back on the final answer.
     */
    private MarketPayOrderEntity write(
            LockOrderAggregate aggregate, LockOrderCommand command, String holder, int takeLimit) {
        LockOrderAggregate attempt = aggregate;
        while (true) {
            try {
                return written(repository.lockOrder(attempt), attempt, command);
            } catch (DuplicateOrderException e) {
                if (e.key() == DuplicateOrderException.Key.TAKE) {
                    int next = LockOrderAggregate.nextTakeSequence(
                            attempt.getTakeSequence(), aggregate.getTakeSequence(), takeLimit);
                    // A held take is a committed one (the unique key waits for its writer), so the count read now
                    // includes it. Counted before any other take is tried: a take above the limit (held since the
                    // limit was lowered) fills none of 1..limit, and two racing locks would otherwise both find a
                    // free one and together exceed the limit.
                    if (next > 0 && liveTakes(command) < takeLimit) {
                        attempt = attempt.withTakeSequence(next);
                        continue;
                    }
                }
                giveBack(attempt, holder);
                return switch (e.key()) {
                    case GENERATED_ID -> null;
                    case OUT_TRADE_NO -> sameOrderAgain(repository.queryOrder(command.orderKey()), command);
                    case TAKE -> throw new AppException(ResponseCode.E0103);
                    case OTHER ->
                        throw new AppException(
                                ResponseCode.UNIQUE_KEY_CONFLICT, "order could not be written, retry", e);
                };
            } catch (CommitOutcomeUnknownException e) {
                // It may have committed: the place stays with its holder. The retry with the same out trade number
                // finds the order (its place held) or shares that place to write it; with no retry, the reconciler
                // drops the holder once stale. Given back here, a committed order was left without its Redis place.
                log.warn(
                        "lock outTradeNo={} team={} of unknown outcome: its place stays held",
                        command.getOutTradeNo(),
                        attempt.getTeamId());
                throw e;
            } catch (RuntimeException e) {
                giveBack(attempt, holder);
                throw e;
            }
        }
    }

    /** The user's live takes in the activity as committed now (only after a take was found held). */
    private int liveTakes(LockOrderCommand command) {
        return repository
                .queryOrderAndLiveTakes(command.orderKey(), command.getActivityId(), null)
                .liveTakes();
    }

    private MarketPayOrderEntity written(
            MarketPayOrderEntity order, LockOrderAggregate aggregate, LockOrderCommand command) {
        if (order.getLeasedCloseChecks() != null) {
            dispatcher.dispatchLeasedCloseChecks(order.getLeasedCloseChecks(), aggregate.getCloseCheckLease());
        } else if (order.getCloseCheckTaskIds() != null) {
            dispatcher.dispatchCloseChecks(order.getCloseCheckTaskIds());
        }
        log.info(
                "lock outTradeNo={} user={} team={} order={} newTeam={} take={}",
                command.getOutTradeNo(),
                command.getUserId(),
                order.getTeamId(),
                order.getOrderId(),
                aggregate.isNewTeam(),
                aggregate.getTakeSequence());
        return order;
    }

    /**
     * A new team has no counter before its row committed, so there is nothing to give back (its drawn id may even be
     * another team's, whose counter stays); a joined team gets the place back unless another attempt of the same order
     * still shares it or already committed it.
     */
    private void giveBack(LockOrderAggregate aggregate, String holder) {
        if (!aggregate.isNewTeam()) {
            reservation.cancel(aggregate.getTeamId(), holder);
        }
    }

    /**
     * The order already under this out trade number, answered to a repeat: every path that finds one ends here (the
     * lookup, the re-read after a refusal or a Redis outage, the out trade number's unique key), after giving back any
     * place it took. A repeat asking for other goods, activity or team is another request reusing the key: refused
     * {@code 0003} before the order's state is told, as a payment-grade idempotency key refuses a reuse with other
     * parameters, whatever became of the first request.
     */
    private MarketPayOrderEntity sameOrderAgain(MarketPayOrderEntity existing, LockOrderCommand command) {
        List<String> differences = existing.askedOtherwiseBy(command);
        if (!differences.isEmpty()) {
            log.info(
                    "lock repeated outTradeNo={} user={} order={} with other parameters: {}",
                    command.getOutTradeNo(),
                    command.getUserId(),
                    existing.getOrderId(),
                    differences);
            throw new AppException(
                    ResponseCode.UNIQUE_KEY_CONFLICT,
                    "outTradeNo " + command.getOutTradeNo() + " is already an order for other parameters: "
                            + String.join("; ", differences));
        }
        if (existing.orderStatus() == OrderStatus.PAID) {
            throw new AppException(ResponseCode.E0201);
        }
        if (existing.orderStatus() == OrderStatus.CLOSED) {
            throw new AppException(ResponseCode.E0202);
        }
        log.info(
                "lock repeated outTradeNo={} user={} order={}",
                command.getOutTradeNo(),
                command.getUserId(),
                existing.getOrderId());
        return existing;
    }

    private LockOrderAggregate aggregate(LockOrderCommand command, LockContext context) {
        TrialBalanceEntity trial = context.getTrial();
        boolean newTeam = context.getTeam() == null;
        Instant now = context.getNow();
        String teamId = newTeam ? ids.teamId() : context.getTeam().getTeamId();
        String orderId = ids.orderId();
        Instant validEnd = newTeam
                ? now.plus(Duration.ofMinutes(trial.getValidTimeMinutes()))
                : context.getTeam().getValidEndTime();
        List<CloseCheckVO> checks = closeChecks.checksForLock(
                teamId, orderId, newTeam, now, validEnd, command.getSource(), command.getChannel());
        return LockOrderAggregate.builder()
                .command(command)
                .newTeam(newTeam)
                .teamId(teamId)
                .orderId(orderId)
                .targetCount(
                        newTeam ? trial.getTargetCount() : context.getTeam().getTargetCount())
                .originalPrice(trial.getOriginalPrice())
                .deductionPrice(trial.getDeductionPrice())
                .payPrice(trial.getPayPrice())
                .activityStartTime(trial.getActivityStartTime())
                .activityEndTime(trial.getActivityEndTime())
                .validStartTime(now)
                .validEndTime(validEnd)
                .takeSequence(context.getLiveTakes() + 1)
                .closeChecks(checks)
                .closeCheckLease(checks.isEmpty() ? null : dispatcher.closeCheckLease())
                .build();
    }
}
