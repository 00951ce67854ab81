/** Scheduled entry points (XXL-Job handlers and the local fallback scheduler); they call domain services only. */
package com.groupbuy.market.trigger.job;
