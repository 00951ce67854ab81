/** Immutable values of the tag context (a member row, an import outcome); no behaviour that needs a port. */
package com.groupbuy.market.domain.tag.model.valobj;
