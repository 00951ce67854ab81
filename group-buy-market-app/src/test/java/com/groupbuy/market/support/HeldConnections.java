package com.groupbuy.market.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Connections of the service's account to a {@link PrivateMariaDb} the test holds open, opened one by one until the
 * server refuses one (its connection limit, or the account's, reached): another tool or instance that took the
 * server's remaining connections. Closing it gives them back.
 */
public final class HeldConnections implements AutoCloseable {

    private final List<Connection> held = new ArrayList<>();
    private final PrivateMariaDb server;
    private SQLException refusal;

    private HeldConnections(PrivateMariaDb server) {
        this.server = server;
    }

    /** Opens connections until the server refuses one; at most {@code atMost} (then it fails: no limit met). */
    public static HeldConnections untilRefused(PrivateMariaDb server, int atMost) {
        HeldConnections connections = new HeldConnections(server);
        connections.takeTheRest(atMost);
        return connections;
    }

    /** Takes the connections freed since (the service's pool closed some), until refused again. */
    public void takeTheRest(int atMost) {
        for (int i = 0; i < atMost; i++) {
            try {
                held.add(DriverManager.getConnection(server.url(), PrivateMariaDb.USER, PrivateMariaDb.PASSWORD));
            } catch (SQLException refused) {
                refusal = refused;
                return;
            }
        }
        throw new IllegalStateException(atMost + " connections opened, none refused");
    }

    /** The server's refusal of the last connection asked for. */
    public SQLException refusal() {
        return refusal;
    }

    public int count() {
        return held.size();
    }

    @Override
    public void close() {
        for (Connection connection : held) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // given back either way: the server ends the session
            }
        }
        held.clear();
    }
}
