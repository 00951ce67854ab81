package com.groupbuy.market.domain.outbox.model.valobj;

/**
 * Where one callback task goes: over HTTP to {@code notifyUrl}, or over MQ with {@code routingKey} on the notify
 * exchange. {@code taskKeySuffix} keeps two tasks of one event (the HTTP refund callback and the refund event on MQ)
 * apart in the outbox's unique task key.
 */
public record NotifyTarget(String notifyType, String notifyUrl, String routingKey, String taskKeySuffix) {

    public static final String HTTP = "HTTP";
    public static final String MQ = "MQ";
    /**
     * Our own delayed close checks (#15): published to a delay queue, never to a partner; the outbox carries them so a
     * lock and its check commit together. The mappers that leave them out of partner callbacks bind this constant by
     * name (INotifyTaskAdminDao.xml, {@code partnerCallbacksOnly}): a rename goes there too.
     */
    public static final String DELAY = "DELAY";

    public static NotifyTarget http(String url) {
        return new NotifyTarget(HTTP, url, null, "");
    }

    public static NotifyTarget mq(String routingKey, String taskKeySuffix) {
        return new NotifyTarget(MQ, null, routingKey, taskKeySuffix);
    }

    public boolean isMq() {
        return MQ.equals(notifyType);
    }
}
