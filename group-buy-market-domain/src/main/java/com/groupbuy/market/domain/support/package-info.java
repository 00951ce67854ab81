/** Small rules the contexts share: retention batches, job bounds, outage logging, the stop as the runs see it. */
package com.groupbuy.market.domain.support;
