package com.groupbuy.market.trigger.http.admin;

import java.time.Clock;
import java.time.Instant;

/**
 * The console's sessions, each bound to who signed in: the shared {@code gbm.admin.token}'s holder (the cookie as it
 * always was, signed with a key derived from that token) or a named operator ({@link ConsoleSession#ofOperator}, the
 * cookie names them and is signed with their own key). A cookie naming an operator who is no longer configured, or
 * whose digest changed, is nobody's.
 */
public final class ConsoleSessions {

    /** A valid session: its id (what a sign-out records), expiry and operator. */
    record Session(String id, Instant expiry, AdminToken.Operator operator) {}

    /** The length of a SHA-256 digest, all zero: not the digest of any token one could find. */
    private static final byte[] NOBODYS_DIGEST = new byte[32];

    private final AdminToken operators;
    private final ConsoleSession shared;
    private final ConsoleSessionKey key;
    private final Clock clock;

    public ConsoleSessions(String sharedToken, AdminToken operators, ConsoleSessionKey key, Clock clock) {
        this.operators = operators;
        this.shared = new ConsoleSession(sharedToken, clock);
        this.key = key;
        this.clock = clock;
    }

    /** A fresh session value for {@code operator}. */
    String issue(AdminToken.Operator operator) {
        return operator.shared() ? shared.issue() : of(operator.name()).issue();
    }

    /** The session of a cookie value that is one, not expired; null for anything else. */
    Session signed(String value) {
        String name = ConsoleSession.operatorOf(value);
        if (name == null) {
            ConsoleSession.Signed signed = shared.signed(value);
            return signed == null ? null : new Session(signed.id(), signed.expiry(), AdminToken.Operator.SHARED);
        }
        // A name that is no operator's is checked as one is (the key read, a MAC over a digest no token has) and
        // then refused: refused at once, its quicker answer told which names are operators. With none configured
        // there is no name to tell, and such a cookie never reads the key (nor makes one).
        if (!operators.hasOperators()) {
            return null;
        }
        boolean known = operators.isOperator(name);
        byte[] digest = known ? operators.digestOf(name) : NOBODYS_DIGEST;
        ConsoleSession.Signed signed =
                ConsoleSession.ofOperator(name, digest, key.key(), clock).signed(value);
        return !known || signed == null
                ? null
                : new Session(signed.id(), signed.expiry(), new AdminToken.Operator(name, false));
    }

    private ConsoleSession of(String name) {
        return ConsoleSession.ofOperator(name, operators.digestOf(name), key.key(), clock);
    }
}
