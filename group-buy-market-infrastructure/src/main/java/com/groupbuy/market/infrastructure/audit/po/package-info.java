/** Row object of the admin action table; never leaves the infrastructure module. */
package com.groupbuy.market.infrastructure.audit.po;
