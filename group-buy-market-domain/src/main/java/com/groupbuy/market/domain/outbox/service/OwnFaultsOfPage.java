package com.groupbuy.market.domain.outbox.service;

import com.groupbuy.market.domain.outbox.model.valobj.DeliveryResult;
import com.groupbuy.market.domain.outbox.model.valobj.NotSentReason;
import org.slf4j.Logger;

/**
 * The sends of one page our own process could not make ({@link NotSentReason#LOCAL_RESOURCES}: out of file
 * descriptors, local ports or socket buffers), said once for the page at WARN, naming the limit: each such task is put
 * back (logged at INFO like any task not sent), and a WARN per task repeated the same limit for every callback due
 * while it lasted.
 */
final class OwnFaultsOfPage {

    private static final String NOT_SENT = "not sent: ";

    private int count;
    private String first;

    /** Notes {@code result} if our own fault stopped its send; returns it. */
    DeliveryResult seen(DeliveryResult result) {
        if (result != null && result.notSentBecause(NotSentReason.LOCAL_RESOURCES)) {
            count++;
            if (first == null) {
                first = result.error();
            }
        }
        return result;
    }

    /** One WARN for a page of {@code pageSize} tasks some of which our own fault did not send; nothing otherwise. */
    void warn(Logger log, int pageSize) {
        if (count == 0) {
            return;
        }
        String why = first != null && first.startsWith(NOT_SENT) ? first.substring(NOT_SENT.length()) : first;
        log.warn(
                "notify page: {} of {} callbacks not sent for our own fault, no try used (tried again shortly): {}",
                count,
                pageSize,
                why);
    }
}
