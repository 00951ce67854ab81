/** The crowd-tag model (import jobs, members, import outcomes) as plain values; no persistence or Redis type lives here. */
package com.groupbuy.market.domain.tag.model;
