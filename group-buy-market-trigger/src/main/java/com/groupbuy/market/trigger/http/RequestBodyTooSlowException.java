package com.groupbuy.market.trigger.http;

import java.io.IOException;

/**
 * A request body still arriving when its time was up ({@link BodyDeadlineValve}): answered 408 with the envelope
 * ({@link GlobalExceptionHandler}), the rest of the body left unread and the connection closed.
 */
public class RequestBodyTooSlowException extends IOException {

    public RequestBodyTooSlowException(long timeoutMillis) {
        super("request body not received within " + timeoutMillis + " ms");
    }
}
