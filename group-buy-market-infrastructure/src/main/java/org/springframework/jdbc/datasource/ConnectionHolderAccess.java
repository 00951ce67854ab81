package org.springframework.jdbc.datasource;

/**
 * The two package-private-by-protection methods of {@link ConnectionHolder} that a transaction manager of the data
 * source needs, for {@code com.groupbuy.market.infrastructure.tx.StartTransactionManager} (#19): whether a bound holder
 * carries an open transaction (to join it) and marking one open. Spring's own manager uses them from this package.
 */
public final class ConnectionHolderAccess {

    private ConnectionHolderAccess() {}

    public static boolean isTransactionActive(ConnectionHolder holder) {
        return holder.isTransactionActive();
    }

    public static void setTransactionActive(ConnectionHolder holder, boolean active) {
        holder.setTransactionActive(active);
    }
}
