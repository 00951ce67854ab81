package com.groupbuy.market.support;

import static org.assertj.core.api.Assertions.assertThat;

import org.springframework.boot.test.context.assertj.AssertableApplicationContext;

/** What a context that refused to start says last: its innermost cause's message, as the operator reads it. */
public final class StartRefusal {

    private StartRefusal() {}

    public static String message(AssertableApplicationContext context) {
        assertThat(context).hasFailed();
        return innermost(context.getStartupFailure()).getMessage();
    }

    /** The innermost cause of a start's failure: the refusal an operator reads, under the wrappers around it. */
    public static Throwable innermost(Throwable failure) {
        Throwable cause = failure;
        while (cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }
}
