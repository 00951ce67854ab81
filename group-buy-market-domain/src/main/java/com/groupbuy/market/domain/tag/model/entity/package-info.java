/** Entities of the tag context with an identity and a life cycle (the import job); no persistence annotation here. */
package com.groupbuy.market.domain.tag.model.entity;
