package com.groupbuy.market.domain.trade.model.valobj;

import com.groupbuy.market.domain.outbox.model.entity.NotifyTaskEntity;
import com.groupbuy.market.domain.outbox.model.valobj.NotifyTarget;
import com.groupbuy.market.types.mq.AmqpShortString;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * Which callbacks an event owes, and on which channel. A completed team is told on the channel its lock chose. A
 * refund reaches an MQ partner on the refund routing key; an HTTP partner only at a refund URL it subscribed for its
 * source + channel, never at its team-success URL (malls of the original platform understand only
 * {@code {teamId, outTradeNoList}} there and would answer every refund with an error). While MQ is on, every refund is
 * also published as our own refund event ({@link #REFUND_EVENT_KEY}, task key suffix {@link #REFUND_EVENT_SUFFIX}),
 * which only our consumer reads: it goes to our internal exchange, never the one malls bind, so no mall sees another
 * partner's refunds and an MQ partner's own message is returned when the partner bound no queue.
 */
public final class NotifyRoutes {

    /** Routing keys the malls of the original platform bind. */
    public static final String TEAM_SUCCESS_KEY = "topic.team_success";

    public static final String TEAM_REFUND_KEY = "topic.team_refund";
    public static final String SETTLEMENT_CATEGORY = "trade_settlement";
    /** Routing key of our own refund event; the MQ channel publishes it on our internal exchange only. */
    public static final String REFUND_EVENT_KEY = "gbm.refund_event";
    /**
     * Task key suffix of the refund event. Earlier versions stored the event with the partner's refund key; a task with
     * this suffix is the refund event whatever key its row holds, so such rows still go to the internal exchange.
     */
    public static final String REFUND_EVENT_SUFFIX = ":mq";
    /** The longest routing key a task keeps ({@code notify_task.notify_mq}, characters). */
    public static final int MAX_ROUTING_KEY = 64;

    private final boolean mqEnabled;
    private final Map<String, String> routingKeys;
    private final BiFunction<String, String, String> refundUrlOf;

    /**
     * @param routingKeys routing key by notify category; a category not named uses the default of its kind
     * @param refundUrlOf the refund URL subscribed by a source + channel, or null
     */
    public NotifyRoutes(
            boolean mqEnabled, Map<String, String> routingKeys, BiFunction<String, String, String> refundUrlOf) {
        routingKeys.forEach((category, key) -> {
            String problem = partnerKeyProblem(key);
            if (problem != null) {
                throw new IllegalArgumentException(
                        "refusing to start: gbm.mq.routing-keys." + category + " = '" + key + "' " + problem);
            }
        });
        this.mqEnabled = mqEnabled;
        this.routingKeys = Map.copyOf(routingKeys);
        this.refundUrlOf = refundUrlOf;
    }

    public boolean mqEnabled() {
        return mqEnabled;
    }

    /** The one callback of a completed team, on the channel its lock chose. */
    public NotifyTarget teamComplete(String notifyType, String notifyUrl) {
        return NotifyTarget.MQ.equals(notifyType)
                ? NotifyTarget.mq(routingKey(SETTLEMENT_CATEGORY), "")
                : NotifyTarget.http(notifyUrl);
    }

    /**
     * The refund's callbacks: the partner's (an MQ partner's message on its refund key, or an HTTP partner's refund
     * URL if it subscribed one) and, while MQ is on, our own refund event.
     */
    public List<NotifyTarget> refund(RefundType type, String notifyType, String source, String channel) {
        List<NotifyTarget> targets = new ArrayList<>(2);
        boolean mqPartner = NotifyTarget.MQ.equals(notifyType);
        if (!mqPartner) {
            String refundUrl = refundUrlOf.apply(source, channel);
            if (refundUrl != null && !refundUrl.isBlank()) {
                targets.add(NotifyTarget.http(refundUrl));
            }
        }
        // An MQ partner is told even while MQ is switched off: its task waits in the outbox until MQ is back.
        if (mqPartner) {
            targets.add(NotifyTarget.mq(routingKey(type.getNotifyCategory()), ""));
        }
        if (mqEnabled) {
            targets.add(NotifyTarget.mq(REFUND_EVENT_KEY, REFUND_EVENT_SUFFIX));
        }
        return targets;
    }

    /**
     * The outbox row a completed team owes: one per team (the task key names the team and the category), on the
     * channel its lock chose, carrying the {@link SettlementCallback} body.
     */
    public NotifyTaskEntity teamCompleteTask(
            String teamId,
            Long activityId,
            String source,
            String channel,
            String notifyType,
            String notifyUrl,
            SettlementCallback body) {
        return completeTask(
                teamId + ":" + SETTLEMENT_CATEGORY, activityId, source, channel, notifyType, notifyUrl, body);
    }

    /**
     * The completion callback owed to another partner whose buyers paid in a team mixed before teams were kept to their
     * partner: to that partner ({@code source} + {@code channel}: its secret signs it) on the target its own team's lock
     * gave ({@code notifyType}, {@code notifyUrl}), its body listing only its own members. Its task key adds the
     * partner, length-prefixed so no two partners' keys meet, to the team's ({@link #teamCompleteTask}, which stays the
     * team's own partner's): one task per partner and team, never written twice.
     */
    public NotifyTaskEntity otherPartnerCompleteTask(
            String teamId,
            Long activityId,
            String source,
            String channel,
            String notifyType,
            String notifyUrl,
            SettlementCallback body) {
        return completeTask(
                teamId + ":" + SETTLEMENT_CATEGORY + ":" + source.length() + ":" + source + ":" + channel,
                activityId,
                source,
                channel,
                notifyType,
                notifyUrl,
                body);
    }

    private NotifyTaskEntity completeTask(
            String taskKey,
            Long activityId,
            String source,
            String channel,
            String notifyType,
            String notifyUrl,
            SettlementCallback body) {
        NotifyTarget target = teamComplete(notifyType, notifyUrl);
        return NotifyTaskEntity.builder()
                .taskKey(taskKey)
                .activityId(activityId)
                .teamId(body.teamId())
                .source(source)
                .channel(channel)
                .notifyCategory(SETTLEMENT_CATEGORY)
                .notifyType(target.notifyType())
                .notifyMq(target.routingKey())
                .notifyUrl(target.notifyUrl())
                .body(body.toJson())
                .build();
    }

    /**
     * The outbox rows a refund owes ({@link #refund}), each carrying the {@link RefundCallback} body. The task key names
     * the order (and the channel): one task per order, category and channel. Whether a refund owes any is the
     * refund's to decide (a paid member of an expired team was told by the expiry: {@code MemberRefund}), never this
     * key's, whose row retention deletes once delivered.
     */
    public List<NotifyTaskEntity> refundTasks(RefundCallback body, String source, String channel, String notifyType) {
        RefundType type = body.type();
        List<NotifyTarget> targets = refund(type, notifyType, source, channel);
        if (targets.isEmpty()) {
            return List.of();
        }
        String json = body.toJson();
        List<NotifyTaskEntity> tasks = new ArrayList<>(targets.size());
        for (NotifyTarget target : targets) {
            tasks.add(NotifyTaskEntity.builder()
                    .taskKey(body.teamId() + ":" + type.getNotifyCategory() + ":" + body.orderId()
                            + target.taskKeySuffix())
                    .activityId(body.activityId())
                    .teamId(body.teamId())
                    .source(source)
                    .channel(channel)
                    .notifyCategory(type.getNotifyCategory())
                    .notifyType(target.notifyType())
                    .notifyMq(target.routingKey())
                    .notifyUrl(target.notifyUrl())
                    .body(json)
                    .build());
        }
        return tasks;
    }

    /** Whether an MQ task is our own refund event, by its task key (rows of earlier versions included). */
    public static boolean isRefundEvent(String notifyType, String taskKey) {
        return NotifyTarget.MQ.equals(notifyType) && taskKey != null && taskKey.endsWith(REFUND_EVENT_SUFFIX);
    }

    /**
     * Why a configured routing key cannot carry partners' messages, or null (blank: the category's default). Our refund
     * event's key sends a message to our internal exchange whatever exchange the partner's is ({@code
     * AmqpNotifyGateway}): our consumer's queue takes it, so it counted as delivered while no mall ever saw it. The
     * outbox keeps a task's key in {@value #MAX_ROUTING_KEY} characters, and the wire takes at most 255 bytes.
     */
    static String partnerKeyProblem(String key) {
        if (key == null || key.isBlank()) {
            return null;
        }
        if (REFUND_EVENT_KEY.equals(key)) {
            return "is our own refund event's key: partners' messages would go to our internal exchange, reach no mall"
                    + " and count as delivered";
        }
        if (key.codePointCount(0, key.length()) > MAX_ROUTING_KEY) {
            return "is longer than the " + MAX_ROUTING_KEY + " characters the outbox keeps (notify_task.notify_mq)";
        }
        if (!AmqpShortString.fits(key)) {
            return "is longer than an AMQP routing key may be (" + AmqpShortString.MAX_BYTES + " bytes of UTF-8)";
        }
        return null;
    }

    public String routingKey(String category) {
        String configured = routingKeys.get(category);
        if (configured != null && !configured.isBlank()) {
            return configured;
        }
        return SETTLEMENT_CATEGORY.equals(category) ? TEAM_SUCCESS_KEY : TEAM_REFUND_KEY;
    }
}
