/** Transactions opened with START TRANSACTION on auto-commit connections (#19). */
package com.groupbuy.market.infrastructure.tx;
