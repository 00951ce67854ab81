package com.groupbuy.market.types.exception;

/**
 * A write whose COMMIT failed without an answer, and whose rows could not be read back either: it may have committed.
 * Answered as the database's outage (E0401, Retry-After); the caller must keep whatever it holds for the write (a
 * lock's Redis place), because giving it back when the write did commit leaves the committed order without its place.
 * The partner's retry with the same key converges: it finds the order, or writes it under the place still held.
 */
public class CommitOutcomeUnknownException extends DependencyUnavailableException {

    private static final long serialVersionUID = 1L;

    public CommitOutcomeUnknownException(Throwable cause) {
        super("database", "commit outcome unknown", cause);
    }
}
