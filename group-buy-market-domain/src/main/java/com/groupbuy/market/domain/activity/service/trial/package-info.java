/** The trial use case: price and audience for a user and a goods; reads configuration, writes nothing. */
package com.groupbuy.market.domain.activity.service.trial;
