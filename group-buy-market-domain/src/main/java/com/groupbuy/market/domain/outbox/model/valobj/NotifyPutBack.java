package com.groupbuy.market.domain.outbox.model.valobj;

import java.time.Instant;

/**
 * A leased task of a page put back unsent (#17: its breaker or bulkhead refused the call, our broker blocked us, or
 * the instance is stopping): due again at {@code until}, {@code reason} (a {@code not sent: …} line) its last error, no
 * try used. A page's put-backs are written together ({@code INotifyTaskStore#deferAll}).
 */
public record NotifyPutBack(NotifyTaskVO task, Instant until, String reason) {}
