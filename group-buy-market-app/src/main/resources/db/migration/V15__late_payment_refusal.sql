-- Every payment notice we refuse for an order the buyer has paid is recorded, not only E0208 (closed before paid):
-- a trade time outside the team's window (E0106) and a team no longer in progress (E0206) leave the mall holding a
-- buyer's money for an order we did not take, too. One row per order still (uq_order_id); `refusal` is the code of
-- the latest refused notice (E0106 first, then E0208 once the team's expiry closed the lock, say). Rows written
-- before V15 were all E0208. The column takes the table's exact (binary) collation like every text column.
ALTER TABLE late_payment
    ADD COLUMN refusal VARCHAR(8) NOT NULL DEFAULT 'E0208'
        COMMENT 'code the latest refused payment notice was answered with: E0208, E0106 or E0206'
        AFTER out_trade_time;
