/** Immutable configuration values of the activity context: activity, discount, goods, switches, tag scope. */
package com.groupbuy.market.domain.activity.model.valobj;
