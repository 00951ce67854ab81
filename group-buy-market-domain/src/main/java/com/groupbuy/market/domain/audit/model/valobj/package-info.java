/** One recorded admin action as the audit reads it back. */
package com.groupbuy.market.domain.audit.model.valobj;
