/** Row objects of the activity tables; never leave the infrastructure module. */
package com.groupbuy.market.infrastructure.activity.po;
