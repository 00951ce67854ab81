/** Callback delivery: lease, send, record; the compensation job and the after-commit hand-off both use it. */
package com.groupbuy.market.domain.trade.service.notify;
