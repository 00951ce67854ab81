/** Use cases of the tag context (member import, membership check); they talk to storage only through the ports. */
package com.groupbuy.market.domain.tag.service;
