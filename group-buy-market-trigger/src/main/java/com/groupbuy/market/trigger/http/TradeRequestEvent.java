package com.groupbuy.market.trigger.http;

import jdk.jfr.Category;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * A partner trade call served by {@link TradeEdgeFilter}, as a flight-recorder event whose duration is the call's time in
 * the filter (#19: a lock's time in the app against the client's, whose difference is the connector's queueing and the
 * network). Recorded only while a JFR recording is on.
 */
@Name("gbm.TradeRequest")
@Label("Trade request")
@Category("GBM")
@StackTrace(false)
final class TradeRequestEvent extends Event {
    @Label("Path")
    String path;
}
