package com.groupbuy.market.domain.outbox.adapter.port;

import com.groupbuy.market.domain.outbox.model.valobj.NotifyAttemptOutcome;
import java.util.List;

/**
 * Takes the outcomes of attempts already made, to be recorded (each under its own task's fencing token, logged as
 * {@code DueCallbackDeliveryService.recordAttempts} logs them) without the sender waiting for the write (#19): the
 * after-commit deliveries of completing settlements hand theirs here, and the adapter may write several deliveries'
 * outcomes in one transaction. An outcome taken is never dropped: if it cannot be queued it is recorded at once, on
 * the caller's thread. A record that never lands only means the compensation job sends the task again once its
 * lease ends (at least once; the partner deduplicates by {@code webhook-id}).
 */
@FunctionalInterface
public interface INotifyAttemptRecorder {

    void record(List<NotifyAttemptOutcome> outcomes);
}
