/** Row objects of the DAOs, one per table shape; never leave the infrastructure module. */
package com.groupbuy.market.infrastructure.dao.po;
