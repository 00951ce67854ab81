package com.groupbuy.market.trigger.http;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpInputMessage;

/**
 * A request body already read into memory (bounded by whoever read it), with its request's headers: read once to be
 * hashed for a signature or checked as text, then read again from memory by what comes next.
 */
record BodyBytes(HttpHeaders headers, byte[] bytes) implements HttpInputMessage {

    @Override
    public InputStream getBody() {
        return new ByteArrayInputStream(bytes);
    }

    @Override
    public HttpHeaders getHeaders() {
        return headers;
    }
}
