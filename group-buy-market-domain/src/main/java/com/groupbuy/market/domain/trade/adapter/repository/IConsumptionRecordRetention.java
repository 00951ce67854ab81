package com.groupbuy.market.domain.trade.adapter.repository;

import java.time.Instant;

/**
 * Deleting consumption records no redelivery needs any more. A record's one use is telling a redelivery of its message
 * apart from a first delivery, and redeliveries and duplicate publishes come within seconds or minutes of the first, so
 * a record that succeeded long ago guards nothing; kept, every lock's close check (and every refund event) left a row
 * for good, and {@code mq_consumption_record} grew with every order ever taken.
 */
public interface IConsumptionRecordRetention {

    /**
     * Deletes up to {@code limit} records that succeeded before {@code succeededBefore}, oldest first; returns how many
     * went. Processing and failed records are never deleted (an operator re-drives a failed message by deleting its
     * record first, and a processing one is a message still being handled).
     */
    int deleteSucceededBefore(Instant succeededBefore, int limit);
}
